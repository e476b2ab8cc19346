"""Run nbdev's notebook processing for the docs site (`proc_nbs`, what `nbdev_docs` does before Quarto) and check it.

`nbdev_proc_nbs` would first try to install Quarto; this calls the processing itself, so it runs where Quarto cannot.
It fails if a notebook in nbs/ did not come out as a processed notebook in _proc/, or if a link to a page of the site
(`data.html`, or the site's own address) names a page that no notebook becomes: Quarto leaves such links alone, so the
published page would lead nowhere. Pages are named by nbdev's front matter (`output-file`: 01_data.ipynb is data.html).
"""
import json, re, sys

from nbdev.config import get_config
from nbdev.serve import proc_nbs

def page_links(nb, doc_url):
    "The site pages (file names) that markdown cells and markdown outputs of processed notebook `nb` link to."
    texts = [''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown']
    texts += [''.join(o['data']['text/markdown']) for c in nb['cells'] for o in c.get('outputs', []) if 'text/markdown' in o.get('data', {})]
    links = re.findall(r'\]\(([^)\s#]+\.html)(?:#[^)\s]*)?\)', '\n'.join(texts))
    return {l.removeprefix(doc_url) for l in links if l.startswith(doc_url) or not re.match(r'[a-z]+:|/', l)}


def output_file(nb):
    "The page a processed notebook becomes, from the front matter nbdev wrote into its first cell."
    m = re.search(r'^output-file: (\S+)', ''.join(nb['cells'][0]['source']), re.M)
    return m[1] if m else None


if __name__ == '__main__':
    cfg = get_config()
    cache = proc_nbs(force=True)
    nbs = sorted(p.relative_to(cfg.nbs_path) for p in cfg.nbs_path.glob('**/*.ipynb') if not p.name.startswith(('_', '.')) and '.ipynb_checkpoints' not in p.parts)
    missing = [str(p) for p in nbs if not (cache/p).exists()]
    if missing: sys.exit(f"docs processing did not produce: {', '.join(missing)}")
    procd = {p: json.loads((cache/p).read_text()) for p in nbs}
    pages = {output_file(nb) or p.with_suffix('.html').name for p, nb in procd.items()}
    doc_url = cfg.doc_host + cfg.doc_baseurl.rstrip('/') + '/'
    broken = [f'{p}: {l}' for p, nb in procd.items() for l in sorted(page_links(nb, doc_url) - pages)]
    if broken: sys.exit(f"links to pages the site does not have (pages are {', '.join(sorted(pages))}): {'; '.join(broken)}")
    print(f"processed {len(nbs)} notebooks for the docs into {cache}; every link to a page of the site names one of its {len(pages)} pages")
