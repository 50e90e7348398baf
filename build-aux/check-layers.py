#!/usr/bin/env python3
"""Checks the layers: api <- models <- widgets/picker <- screens <- app.

  build-aux/check-layers.py SOURCE_ROOT [BUILD_ROOT]

1. Every #include "..." in src/<folder> must name a header of that folder
   or of a folder it may use (LAYERS below; the meson libraries give the
   compiler the same include paths).
2. With BUILD_ROOT, it proves the compiler enforces this: it takes the real
   compile command of a file in src/models and of a file in src/gallery
   from compile_commands.json and compiles a probe that includes a screen
   header (models) and atelier-window.h (a screen). Both must fail with
   "No such file"; a probe with allowed includes must compile.

Prints TAP; exits 1 on any failure.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

# As src/*/meson.build gives them: a screen that needs the picker
# (tunes) depends on its library; the others see widgets and below.
BELOW_SCREENS = ["widgets", "models", "api"]
LAYERS = {
    "api": ["api"],
    "sandbox": ["sandbox", "api"],
    "models": ["models", "api"],
    "widgets": ["widgets", "models", "api"],
    "picker": ["picker", "widgets", "models", "api"],
    "tunes": ["tunes", "picker"] + BELOW_SCREENS,
    "prompts": ["prompts"] + BELOW_SCREENS,
    "gallery": ["gallery"] + BELOW_SCREENS,
    "packs": ["packs"] + BELOW_SCREENS,
    "faceid": ["faceid"] + BELOW_SCREENS,
    "app": ["app", "tunes", "prompts", "gallery", "packs", "faceid", "sandbox", "picker"] + BELOW_SCREENS,
}
GENERATED = {"config.h", "atelier-resources.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

results = []


def ok(good, what):
    results.append((good, what))


def check_includes(src):
    headers = {}
    for folder in LAYERS:
        path = os.path.join(src, folder)
        for name in os.listdir(path):
            if name.endswith(".h"):
                headers.setdefault(name, []).append(folder)
    unknown = sorted(set(os.listdir(src)) - set(LAYERS) - {"meson.build"})
    ok(not unknown, "every folder of src/ has a layer" + (f" (not: {', '.join(unknown)})" if unknown else ""))
    for folder, allowed in LAYERS.items():
        bad = []
        for name in sorted(os.listdir(os.path.join(src, folder))):
            if not name.endswith((".c", ".h")):
                continue
            with open(os.path.join(src, folder, name), encoding="utf-8") as f:
                text = f.read()
            for header in INCLUDE.findall(text):
                if header in GENERATED:
                    continue
                owners = headers.get(header, [])
                if not any(o in allowed for o in owners):
                    bad.append(f"{folder}/{name} includes {header} (from {', '.join(owners) or 'nowhere'})")
        ok(not bad, f"src/{folder} includes only {', '.join(allowed)}" + ("".join("\n# " + b for b in bad)))


def compile_probe(build, entry, text):
    args = shlex.split(entry["command"])
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, "probe.c")
        with open(probe, "w") as f:
            f.write(text)
        # Replace the source and the output; keep every flag and -I.
        out = []
        skip = False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-MF", "-MQ"):
                skip = True
                continue
            if a in ("-c", "-MD") or a == entry["file"]:
                continue
            out.append(a)
        out += ["-fsyntax-only", probe]
        run = subprocess.run(out, cwd=entry["directory"], capture_output=True, text=True)
        return run.returncode, run.stderr


def check_compiler(build):
    with open(os.path.join(build, "compile_commands.json")) as f:
        commands = json.load(f)

    def entry_for(folder):
        for e in commands:
            if f"src/{folder}/" in e["file"].replace("\\", "/") and "libatelier" in e["output"]:
                return e
        return None

    cases = [
        ("models", '#include "atelier-gallery-page.h"\n', False,
         "a file in src/models that includes a screen header fails to compile"),
        ("gallery", '#include "atelier-window.h"\n', False,
         "a screen that includes atelier-window.h fails to compile"),
        ("tunes", '#include "atelier-prompt-editor.h"\n', False,
         "a screen that includes another screen's header fails to compile"),
        ("models", '#include "config.h"\n#include "atelier-session.h"\n#include "atelier-astria-client.h"\n', True,
         "a file in src/models that includes models and api headers compiles"),
        ("gallery", '#include "config.h"\n#include "atelier-shell.h"\n#include "atelier-session.h"\n', True,
         "a screen that includes widgets and models headers compiles"),
    ]
    for folder, text, should_compile, what in cases:
        entry = entry_for(folder)
        if entry is None:
            ok(False, what + f" (no compile command for src/{folder})")
            continue
        code, err = compile_probe(build, entry, text)
        if should_compile:
            ok(code == 0, what + ("" if code == 0 else "\n# " + err.strip().replace("\n", "\n# ")))
        else:
            ok(code != 0 and "No such file" in err, what + ("" if code != 0 else " (it compiled)"))


def main():
    src = os.path.join(sys.argv[1], "src")
    check_includes(src)
    if len(sys.argv) > 2:
        check_compiler(sys.argv[2])
    print(f"1..{len(results)}")
    for i, (good, what) in enumerate(results, 1):
        print(f"{'ok' if good else 'not ok'} {i} - {what}")
    return 0 if all(g for g, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
