"""The harness itself: a browser problem must fail the test that caused it."""

import time


def wait_for(page, problems, count, seconds=5):
    deadline = time.monotonic() + seconds
    while len(problems) < count and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright deliver the browser's events


def test_console_errors_page_errors_and_csp_violations_are_caught(page, browser_problems):
    page.goto("/tilgaengelighed/")

    page.evaluate("console.error('boom')")
    page.evaluate("setTimeout(() => { throw new Error('kaboom'); })")
    # Both are inline code that the page's CSP refuses.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate(
        "const s = document.createElement('script'); s.textContent = '1'; document.body.append(s)"
    )
    wait_for(page, browser_problems, 6)

    seen = "\n".join(browser_problems)
    assert "console error: boom" in seen
    assert "page error: Error: kaboom" in seen
    assert "CSP violation: style-src-attr" in seen
    assert "CSP violation: script-src-elem" in seen
    browser_problems.clear()  # they were caused on purpose
