"""The simulated native modules against the official stubs and libraries (parsed with ast).

Every public name a simulated module defines must exist in the official stub (or, for the
Circuit Playground, in the Adafruit library's source), and every function and method must be
callable as the stub declares it: the same positional parameter names in order (any name for
positional-only ones), defaults wherever the stub has them, the stub's keyword-only
parameters; ours may accept extra optional parameters.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SIM = Path(__file__).parents[2] / "firmware" / "sim"

PACKAGES = {
    "microbit": ["micropython-microbit-stubs-en"],
    "circuitpython": ["circuitpython-stubs", "adafruit-circuitpython-circuitplayground"],
    "esp32": ["micropython-esp32-stubs"],
}

# (our file under firmware/sim, (package set, the official file), names only we define)
PAIRS = [
    ("microbit/microbit/__init__.py", ("microbit", "stdlib/microbit/__init__.pyi"), set()),
    ("microbit/microbit/display.py", ("microbit", "stdlib/microbit/display.pyi"), set()),
    (
        "microbit/microbit/accelerometer.py",
        ("microbit", "stdlib/microbit/accelerometer.pyi"),
        set(),
    ),  # fmt: skip
    ("microbit/microbit/microphone.py", ("microbit", "stdlib/microbit/microphone.pyi"), set()),
    ("microbit/radio.py", ("microbit", "stdlib/radio.pyi"), set()),
    (
        "common/_simtime.py",
        ("microbit", "stdlib/time.pyi"),
        {
            "ticks_cpu",
            "time",
            "time_ns",
            "localtime",
            "gmtime",
            "mktime",
            "monotonic",
            "monotonic_ns",
        },
    ),  # fmt: skip
    ("common/_simtime.py", ("esp32", "time.pyi"), {"monotonic", "monotonic_ns"}),
    (
        "circuitplayground/adafruit_circuitplayground/circuit_playground_base.py",
        ("circuitpython", "adafruit_circuitplayground/circuit_playground_base.py"),
        set(),
    ),
    (
        "circuitplayground/adafruit_circuitplayground/express.py",
        ("circuitpython", "adafruit_circuitplayground/express.py"),
        set(),
    ),
    (
        "circuitplayground/adafruit_circuitplayground/bluefruit.py",
        ("circuitpython", "adafruit_circuitplayground/bluefruit.py"),
        set(),
    ),
    ("circuitplayground/supervisor.py", ("circuitpython", "supervisor-stubs/__init__.pyi"), set()),
    ("circuitplayground/audiobusio.py", ("circuitpython", "audiobusio-stubs/__init__.pyi"), set()),
    ("esp32/machine.py", ("esp32", "machine.pyi"), set()),
    ("esp32/neopixel.py", ("esp32", "neopixel.pyi"), set()),
    ("esp32/network.py", ("esp32", "network.pyi"), set()),
    ("esp32/espnow.py", ("esp32", "espnow.pyi"), set()),
]


@pytest.fixture(scope="session")
def stubs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """The official stubs, installed once into the pytest cache (pip install --target)."""
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    root = Path(cache.mkdir("wearkit-stubs")) if cache else tmp_path_factory.mktemp("stubs")
    folders = {}
    for key, packages in PACKAGES.items():
        target = root / key
        if not (target / ".complete").exists():
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--upgrade",
                 "--target", str(target), *packages],
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            if proc.returncode != 0:
                pytest.skip(f"cannot install {packages}: {proc.stderr.strip()[-300:]}")
            (target / ".complete").touch()
        folders[key] = target
    return folders


@dataclass
class Api:
    """What a module defines: functions (all overloads), classes, other names."""

    functions: dict[str, list[ast.arguments]] = field(default_factory=dict)
    classes: dict[str, Api] = field(default_factory=dict)
    bases: dict[str, list[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


def _collect(body: list[ast.stmt], api: Api) -> Api:
    for node in body:
        if isinstance(node, ast.FunctionDef):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            if any(d.endswith((".setter", ".deleter")) for d in decorators):
                continue
            if "property" in decorators:
                api.names.add(node.name)
            else:
                api.functions.setdefault(node.name, []).append(node.args)
        elif isinstance(node, ast.ClassDef):
            api.classes[node.name] = _collect(node.body, Api())
            api.bases[node.name] = [ast.unparse(b).split(".")[-1] for b in node.bases]
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:  # names and tuples of names, not attributes
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                api.names.update(e.id for e in elements if isinstance(e, ast.Name))
        elif isinstance(node, ast.ImportFrom | ast.Import):
            api.names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.If | ast.Try):
            _collect(node.body, api)
            if isinstance(node, ast.Try):
                for handler in node.handlers:
                    _collect(handler.body, api)
    return api


def parse(path: Path) -> Api:
    return _collect(ast.parse(path.read_text(encoding="utf-8")).body, Api())


def parse_ours(path: Path) -> Api:
    """Our module, with the private sibling modules it re-exports from (``from ._x import``)."""
    api = parse(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        private = isinstance(node, ast.ImportFrom) and (node.module or "").startswith("_")
        if private and isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            part = parse(path.with_name(node.module + ".py"))
            api.functions.update(part.functions)
            api.classes.update(part.classes)
            api.bases.update(part.bases)
    return api


def _member(module: Api, cls: str, name: str) -> list[ast.arguments] | bool | None:
    """A class member in the stub (its overloads, True for a non-function), bases included."""
    seen = {cls}
    queue = [cls]
    while queue:
        current = module.classes.get(queue.pop(0))
        if current is None:
            continue
        if name in current.functions:
            return current.functions[name]
        if name in current.names:
            return True
        queue += [b for b in module.bases[cls] if b not in seen]
        seen.update(queue)
    return None


def _compatible(ours: ast.arguments, theirs: ast.arguments) -> str | None:
    """Why ``ours`` cannot be called as ``theirs`` declares, or None if it can."""
    if theirs.vararg or theirs.kwarg:
        return None
    our_pos = ours.posonlyargs + ours.args
    their_pos = theirs.posonlyargs + theirs.args
    our_first_default = len(our_pos) - len(ours.defaults)
    their_first_default = len(their_pos) - len(theirs.defaults)
    if len(our_pos) < len(their_pos) and not ours.vararg:
        return f"takes fewer positional parameters than {[a.arg for a in their_pos]}"
    for i, param in enumerate(their_pos):
        if i >= len(our_pos):
            break
        if i >= len(theirs.posonlyargs) and our_pos[i].arg != param.arg:
            return f"parameter {i} is {our_pos[i].arg!r}, the stub's is {param.arg!r}"
        if i >= their_first_default and i < our_first_default:
            return f"parameter {param.arg!r} needs a default"
    if len(our_pos) > len(their_pos) and our_first_default > len(their_pos):
        return "extra positional parameters need defaults"
    our_kw = {a.arg: d for a, d in zip(ours.kwonlyargs, ours.kw_defaults, strict=True)}
    for param in theirs.kwonlyargs:
        if param.arg not in our_kw and not ours.kwarg:
            return f"keyword-only parameter {param.arg!r} is missing"
    their_kw = {a.arg for a in theirs.kwonlyargs}
    if any(d is None for name, d in our_kw.items() if name not in their_kw):
        return "extra keyword-only parameters need defaults"
    return None


def _check_function(
    where: str, ours: list[ast.arguments], theirs: list[ast.arguments]
) -> list[str]:
    reasons = [_compatible(ours[0], t) for t in theirs]
    if all(reasons):
        return [f"{where}: {reasons[0]}"]
    return []


def compare(ours: Api, theirs: Api, extra: set[str]) -> list[str]:
    problems = []
    for name, overloads in ours.functions.items():
        if name.startswith("_") or name in extra:
            continue
        if name not in theirs.functions:
            problems.append(f"{name}(): not in the stub")
        else:
            problems += _check_function(f"{name}()", overloads, theirs.functions[name])
    for name in ours.names - extra:
        if not name.startswith("_") and name not in theirs.names | set(theirs.functions) | set(
            theirs.classes
        ):
            problems.append(f"{name}: not in the stub")
    for cls, members in ours.classes.items():
        if cls.startswith("_"):
            continue
        if cls not in theirs.classes:
            problems.append(f"class {cls}: not in the stub")
            continue
        for name in members.names:
            if not name.startswith("_") and _member(theirs, cls, name) is None:
                problems.append(f"{cls}.{name}: not in the stub")
        for name, overloads in members.functions.items():
            if name.startswith("_") and not name.startswith("__"):
                continue
            found = _member(theirs, cls, name)
            if found is None:
                if not name.startswith("__"):  # e.g. __init__ where the stub declares none
                    problems.append(f"{cls}.{name}(): not in the stub")
            elif isinstance(found, list):
                problems += _check_function(f"{cls}.{name}()", overloads, found)
    return problems


@pytest.mark.parametrize(("ours", "official", "extra"), PAIRS, ids=[p[0] for p in PAIRS])
def test_sim_matches_official_api(
    stubs: dict[str, Path], ours: str, official: tuple[str, str], extra: set[str]
) -> None:
    key, relative = official
    theirs = stubs[key] / relative
    assert theirs.is_file(), f"{theirs} is missing from {PACKAGES[key]}"
    assert compare(parse_ours(SIM / ours), parse(theirs), extra) == []


def test_the_checker_catches_a_mismatch() -> None:
    theirs = _collect(ast.parse("def f(a, b=1, *, c=2): ...\nclass K:\n  x: int").body, Api())
    for bad in ("def f(b, a=1): ...", "def f(a, b): ...", "def f(a, b=1): ...", "def g(): ...",
                "class K:\n  y = 1", "class L: ..."):  # fmt: skip
        assert compare(_collect(ast.parse(bad).body, Api()), theirs, set()), bad
    good = "def f(a, b=1, d=3, *, c=2, e=4): ...\nclass K:\n  x = 1"
    assert compare(_collect(ast.parse(good).body, Api()), theirs, set()) == []
