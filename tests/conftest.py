"Fixtures shared by the browser tests: one headless Chromium per test module, a page that fails the test on script errors."
import os, shutil
from pathlib import Path

import pytest

BROWSER = os.environ.get('CVAE_MNIST_BROWSER') or shutil.which('chromium') or '/usr/bin/chromium'
# No network here: keep Chromium from calling home (its connections would be refused, many at a time).
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync']


@pytest.fixture(scope='module')
def browser():
    if not Path(BROWSER).exists():
        if os.environ.get('CVAE_MNIST_REQUIRE_BROWSER'): pytest.fail(f'no browser at {BROWSER} (apt-get install chromium)')
        pytest.skip(f'no browser at {BROWSER}')
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=BROWSER, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page()
    errors = []
    pg.on('pageerror', lambda e: errors.append(str(e)))
    pg.on('requestfailed', lambda r: errors.append(f'request to {r.url}'))
    yield pg
    pg.close()
    assert errors == [], errors  # no script errors, and nothing fetched from outside the page
