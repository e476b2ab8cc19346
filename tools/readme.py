"""Write README.md from nbs/index.ipynb, as `nbdev_readme` would, without Quarto.

nbdev's own notebook processors prepare the notebook (hidden cells and `#|` directives go, the title cell becomes
front matter); this script then writes it as GitHub Markdown, its figures as PNG files in README_files/.
Links to other pages of the site (`data.html`) are made absolute (`doc_host` + `doc_baseurl`), so that they work
on GitHub and PyPI too. `--check` writes nothing and fails if README.md or its figures are out of date.
"""
import argparse, base64, re, sys
from pathlib import Path

import yaml

from execnb.nbio import read_nb
from nbdev.config import get_config
from nbdev.processors import FilterDefaults


def _front_matter(src):
    "Title and description from the front-matter cell nbdev's processors make of `# Title` / `> description`."
    fm = yaml.safe_load(src.strip().strip('-'))
    return f"# {fm['title']}\n\n" + (f"> {fm['description']}\n" if fm.get('description') else '')


def _outputs(cell, figs, fig_dir):
    "Markdown for a code cell's saved outputs; figures are added to `figs`."
    parts = []
    for o in cell.get('outputs', []):
        if o['output_type'] == 'stream': parts.append('```\n' + ''.join(o['text']).rstrip() + '\n```')
        elif 'data' in o:
            d = o['data']
            if 'image/png' in d:
                name = f'{fig_dir}/figure-{len(figs) + 1}.png'
                figs[name] = base64.b64decode(''.join(d['image/png']))
                parts.append(f'![]({name})')
            elif 'text/markdown' in d: parts.append(''.join(d['text/markdown']).strip())
            elif 'text/plain' in d: parts.append('```\n' + ''.join(d['text/plain']).rstrip() + '\n```')
    return parts


def _absolute_links(md, doc_url):
    "Relative links to the site's pages in Markdown `md`, made absolute under `doc_url`."
    return re.sub(r'\]\((?![a-z]+:|#|/)([^)\s]+\.html(?:#[^)\s]*)?)\)', lambda m: f'](' + doc_url.rstrip('/') + '/' + m[1] + ')', md)


def render(nb_path, fig_dir='README_files', doc_url=None):
    "README text and {path: png bytes} of its figures, from the notebook at `nb_path`; site links absolute under `doc_url`."
    nb = read_nb(nb_path)
    FilterDefaults()(nb)
    parts, figs = [], {}
    for cell in nb.cells:
        src = cell.source.strip()
        if cell.cell_type == 'raw' and src.startswith('---'): parts.append(_front_matter(src))
        elif cell.cell_type == 'markdown' and src: parts.append(src)
        elif cell.cell_type == 'code':
            lines = src.splitlines()
            code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
            if code and not any(l.replace(' ', '') == '#|echo:false' for l in lines):
                parts.append('```python\n' + code + '\n```')
            parts += _outputs(cell, figs, fig_dir)
    text = '\n\n'.join(p.strip() for p in parts) + '\n'
    return (_absolute_links(text, doc_url) if doc_url else text), figs


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='fail if README.md is not what index.ipynb gives')
    args = p.parse_args()
    cfg = get_config()
    root = cfg.config_path
    text, figs = render(cfg.nbs_path/cfg.readme_nb, doc_url=cfg.doc_host + cfg.doc_baseurl)
    want = {root/'README.md': text.encode()} | {root/k: v for k, v in figs.items()}
    old_figs = set((root/'README_files').glob('*.png'))
    stale = [str(p.relative_to(root)) for p, b in want.items() if not p.exists() or p.read_bytes() != b]
    stale += [str(p.relative_to(root)) for p in old_figs - set(want)]
    if args.check:
        if stale: sys.exit(f"README out of date with {cfg.readme_nb} ({', '.join(stale)}): run `make readme`")
        return print('README.md is up to date')
    for p in old_figs - set(want): p.unlink()
    for p, b in want.items():
        p.parent.mkdir(exist_ok=True)
        p.write_bytes(b)
    print(f"wrote README.md and {len(figs)} figure(s)" if stale else 'README.md was up to date')


if __name__ == '__main__': main()
