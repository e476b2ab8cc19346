"""Quarto's post-render step (nbs/_quarto.yml): the site serves every script, style sheet and font itself.

- KaTeX: katex.min.js, katex.min.css, fonts/ and KaTeX's licence are copied from node_modules/katex (installed by
  `npm ci` at the repository's root, at the version package-lock.json pins; or from a folder in NODE_PATH, as the
  deploy workflow installs it) into katex/ of the output folder, where the pages' `html-math-method` points.
- Then every page is checked: a script, style sheet, image or frame loaded from another host fails the build.

Quarto runs this from the project folder (nbdev's _proc/, or nbs/) with the output folder in QUARTO_PROJECT_OUTPUT_DIR.
A render that writes no HTML page (nbdev_readme's Markdown) is left alone, so the README needs no KaTeX.
"""
import json, os, re, shutil, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = [ROOT/'node_modules'] + [Path(p) for p in os.environ.get('NODE_PATH', '').split(os.pathsep) if p]
KATEX = next((d/'katex' for d in FOLDERS if (d/'katex'/'package.json').exists()), ROOT/'node_modules'/'katex')
FILES = ['dist/katex.min.js', 'dist/katex.min.css', 'dist/fonts', 'LICENSE']

# What a browser fetches on its own when it loads a page (scripts, style sheets, icons, images, frames, media) or a
# style sheet (imports, fonts, images).
EXTERNAL = {'.html': re.compile(r'<(?:script|img|iframe|source|audio|video|embed)\b[^>]*?\ssrc="((?:https?:)?//[^"]+)"'
                                r'|<link\b(?=[^>]*\srel="(?:stylesheet|preload|modulepreload|icon)")[^>]*?\shref="((?:https?:)?//[^"]+)"'),
            '.css': re.compile(r'@import\s+["\']((?:https?:)?//[^"\']+)|url\(\s*["\']?((?:https?:)?//[^"\')\s]+)')}


def copy_katex(out):
    missing = [f for f in FILES if not (KATEX/f).exists()]
    if missing: sys.exit(f"KaTeX is not installed ({KATEX/missing[0]} is missing): run npm ci in {ROOT}")
    dest = out/'katex'
    shutil.rmtree(dest, ignore_errors=True)
    for f in FILES:
        src, to = KATEX/f, dest/Path(f).name
        if src.is_dir(): shutil.copytree(src, to)
        else:
            to.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, to)
    return json.loads((KATEX/'package.json').read_text())['version']


def external_loads(out):
    "(page, address) of everything a page or style sheet of the site would fetch from another host."
    files = sorted(f for ext in EXTERNAL for f in out.rglob('*' + ext))
    return [(f.relative_to(out).as_posix(), next(filter(None, m.groups())))
            for f in files for m in EXTERNAL[f.suffix].finditer(f.read_text(encoding='utf-8', errors='replace'))]


def main():
    out = os.environ.get('QUARTO_PROJECT_OUTPUT_DIR')
    if not out: sys.exit("tools/site_assets.py is Quarto's post-render step: run nbdev_docs, not this script")
    written = os.environ.get('QUARTO_PROJECT_OUTPUT_FILES')
    if written is not None and not any(f.endswith('.html') for f in written.splitlines()): return
    out = Path(out).resolve()
    version = copy_katex(out)
    ext = external_loads(out)
    if ext: sys.exit('pages load from other hosts, the site must serve these itself: '
                     + '; '.join(f'{page}: {url}' for page, url in ext))
    print(f"KaTeX {version} copied into {out/'katex'}")


if __name__ == '__main__': main()
