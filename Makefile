# Everyday jobs; run them inside the virtual environment you installed into.
.PHONY: install data test test-nbdev test-site lint format export outputs readme docs docs-check clean

install:        ## the package, with the tools to run notebooks and tests
	pip install -e ".[dev]"

data:           ## fetch and verify MNIST, print where it is
	cvae-mnist data

# Two notebooks at a time on 2 cores, one thread each (two with 2 threads each wait on each other: 402 s, not 194 s);
# then tests/ on as many pytest-xdist workers as cores, again one thread each (on 2 cores 106 s, against 132 s with
# PyTorch's two threads a worker spinning while the other worker and its browser have the cores).
test:           ## every notebook run as JupyterLab's Run All (its inline tests, its time, a clean tree), then tests/ but the site's
	python tools/run_nbs.py
	if [ -d tests ]; then OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python -m pytest -q -n auto tests --ignore=tests/test_site.py \
	  || [ $$? -eq 5 ]; fi

# nbdev's own runner, as the design card has it: every notebook in-process, cells flagged in settings.ini's tst_flags
# skipped (none is); two notebooks at a time, one thread each.
test-nbdev:     ## the notebooks' tests under nbdev_test
	OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nbdev_test --n_workers 2 --timing

test-site:      ## the built site's tests, tests/test_site.py (after `make docs`; a missing site fails them)
	CVAE_MNIST_REQUIRE_SITE=1 python -m pytest -q tests/test_site.py

lint:           ## notebooks clean, the package what they export, ruff on the package (`make docs-check` checks the README)
	nbdev_clean
	nbdev_export
	@if [ -n "$$(git status --porcelain -- nbs cvae_mnist)" ]; then \
	  echo "nbdev_clean or nbdev_export changed these files: run them and commit the result"; \
	  git status --porcelain -- nbs cvae_mnist; exit 1; fi
	ruff check cvae_mnist

format:         ## strip notebooks of execution counts and noisy metadata
	nbdev_clean

export:         ## write cvae_mnist/*.py from the notebooks
	nbdev_export

outputs:        ## re-run the notebooks as `make test` does and save their outputs (NB=nbs/02_vae.ipynb for one)
	python tools/run_nbs.py --write $(NB)

readme:         ## README.md and its figures (index_files/) from nbs/index.ipynb, by nbdev_readme (needs Quarto)
	nbdev_readme

# nbdev reprocesses only notebooks newer than their copy in _proc/, and the explorers' processor (cvae_mnist.site) can
# change without them: start from an empty _proc/.
docs:           ## the documentation site in _docs/, and README.md if index.ipynb is newer (needs Quarto, and `npm ci`)
	rm -rf _proc
	nbdev_docs

docs-check:     ## README and site rebuilt; fails if the README or its figures were not what index.ipynb gives
	nbdev_readme
	nbdev_docs
	@if [ -n "$$(git status --porcelain -- README.md index_files)" ]; then \
	  echo "README.md or index_files/ out of step with nbs/index.ipynb: commit what nbdev_readme wrote"; \
	  git status --porcelain -- README.md index_files; exit 1; fi

clean:          ## build artefacts and processed notebooks; never the data
	rm -rf build dist *.egg-info _proc _docs nbs/_site nbs/.quarto .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
