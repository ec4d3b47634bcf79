"""The widget bundle: within its size budget, valid script, minified without changing code."""

import re
import shutil
import subprocess

import pytest

from campaigns.web.widget_bundle import GZIP_BUDGET, build_bundle, minify_css, minify_js


def test_the_bundle_stays_within_its_budget_and_parses() -> None:
    bundle = build_bundle()
    assert len(bundle.gzipped) <= GZIP_BUDGET, f"{len(bundle.gzipped)} bytes gzipped"
    assert re.fullmatch(r"[0-9a-f]{12}", bundle.version)
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to check the minified script's syntax")
    result = subprocess.run(
        [node, "--check", "-"], input=bundle.script, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


def test_minifiers_keep_code_and_drop_only_comments_and_spaces() -> None:
    source = """
    // a comment line
    var url = "http://example.org/path"; // kept: not a whole-line comment
        if (a) {
          b();
        }
    """
    kept = 'var url = "http://example.org/path"; // kept: not a whole-line comment'
    assert minify_js(source) == kept + "\nif (a) {\nb();\n}"
    css = "/* note */\n.a , .b  >  .c {\n  color : red ;\n  margin: 0 auto;\n}\n"
    assert minify_css(css) == ".a,.b>.c{color : red;margin: 0 auto}"
