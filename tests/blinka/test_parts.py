"""The kit on a virtual Blinka board: the real kithal_blinka layer, Blinka and the
CircuitPython drivers read simulated registers, in kit's units and axis convention."""

from __future__ import annotations

import ast
import json
import time

import pytest

from tests.blinka.conftest import OpenBlinka


def _set(board: object, **values: float) -> None:
    board.set_live(**values)  # type: ignore[attr-defined]
    time.sleep(0.1)  # a board re-reads its live values at most every 50 ms


def _read(link: object, code: str) -> object:
    out = link.exec(f"import kit\n{code}", timeout=20)  # type: ignore[attr-defined]
    lines = [ln for ln in out.splitlines() if not ln.startswith("@k1 ")]
    return ast.literal_eval(lines[-1])


@pytest.mark.parametrize("family", ["blinka-pi", "blinka-mcp2221"])  # LIS3DH, LSM6DSOX
def test_accel_reads_kit_convention_through_the_real_driver(
    open_blinka: OpenBlinka, family: str
) -> None:
    board, link = open_blinka(family)
    assert _read(link, "print(kit.accel())") == (0, 0, -1000)  # lying still face up
    _set(board, ax=500, ay=-250, az=-800)
    x, y, z = _read(link, "print(kit.accel())")  # type: ignore[misc]
    # The parts' own steps: LIS3DH 1 mg (12 bits at 2 g), LSM6DSOX 0.122 mg at 4 g.
    assert abs(x - 500) <= 1 and abs(y + 250) <= 1 and abs(z + 800) <= 1
    _set(board, az=-3000)  # beyond the LIS3DH's +-2 g at power-on: it clips
    z = _read(link, "print(kit.accel()[2])")
    assert z == (-2000 if family == "blinka-pi" else -3000)


def test_light_temp_buttons_and_pixels(open_blinka: OpenBlinka) -> None:
    board, link = open_blinka("blinka-pi")
    _set(board, light=200, temp=-5.5, button_a=1)
    light, temp, a, b = _read(  # type: ignore[misc]
        link, "print((kit.light(), kit.temp(), kit.button('a'), kit.button('b')))"
    )
    assert light == 200 and temp == -5.5 and a is True and b is False
    _set(board, button_a=0, light=0)
    assert _read(link, "print((kit.button('a'), kit.light()))") == (False, 0)
    link.exec("import kit\nkit.pixels((10, 20, 30))")
    outputs = json.loads((board.state_dir / "outputs.json").read_text())
    assert outputs["pixels"] == [[10, 20, 30]] * 10


def test_hello_names_the_kit_and_what_it_lacks(open_blinka: OpenBlinka) -> None:
    _board, link = open_blinka("blinka-mcp2221")
    out = link.exec("import kit\nprint(kit.has('pixels'))")
    assert '"hal":"MCP2221 adapter (Blinka)"' in out and out.strip().endswith("False")
    result = link.execute("import kit\nkit.pixels((1, 2, 3))")
    assert "MCP2221 adapter (Blinka) has no pixels (capability 'pixels')" in result.error
