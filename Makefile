# Everyday jobs; run them inside the virtual environment you installed into.
.PHONY: install data test test-slow lint format export outputs readme docs-check docs clean

install:        ## the package, with the tools to run notebooks and tests
	pip install -e ".[dev]"

data:           ## fetch and verify MNIST, print where it is
	cvae-mnist data

# One notebook at a time: torch already uses every core, and two notebooks at once on 2 cores took 402 s, not 194 s.
test:           ## every notebook's inline tests, then tests/ (pytest's "no tests" is not a failure)
	nbdev_test --do_print --n_workers 1
	if [ -d tests ]; then python -m pytest -q tests || [ $$? -eq 5 ]; fi

test-slow:      ## also the slow cells (full training runs)
	nbdev_test --do_print --n_workers 1 --flags slow

lint:           ## notebooks clean, the package what they export, the README what index.ipynb says
	nbdev_clean && nbdev_export && git diff --exit-code -- nbs cvae_mnist
	python tools/readme.py --check

format:         ## strip notebooks of execution counts and noisy metadata
	nbdev_clean

export:         ## write cvae_mnist/*.py from the notebooks
	nbdev_export

outputs:        ## re-run the notebooks to refresh their saved outputs, skipping slow cells (NB=nbs/02_vae.ipynb for one)
	python tools/run_nbs.py $(NB)

readme:         ## README.md from nbs/index.ipynb (nbdev_readme needs Quarto; this does not)
	python tools/readme.py

docs-check:     ## nbdev's notebook processing for the docs, everything before Quarto
	python tools/proc_docs.py

docs:           ## the documentation site in _docs/ (needs Quarto)
	nbdev_docs

clean:          ## build artefacts and processed notebooks; never the data
	rm -rf build dist *.egg-info _proc _docs nbs/_site nbs/.quarto .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
