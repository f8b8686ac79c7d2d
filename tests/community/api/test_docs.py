"""The API's schema covers the data endpoints; the interactive page is Swagger UI from the
vendored package (no CDN), renders under the site's Content-Security-Policy in Chromium."""

from __future__ import annotations

import pytest
import yaml

from tests.browser import ARTIFACTS, launched_chromium, needs_chromium
from tests.community.api.swagger_css import ICONS, OVERRIDES, data_images, swagger_css

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.mark.django_db
def test_the_schema_documents_the_data_endpoints(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)

    for path in (
        "/api/",
        "/api/repositories/",
        "/api/repositories/{owner}/{name}/",
        "/api/repositories/{owner}/{name}/issues/{number}/",
        "/api/repositories/{owner}/{name}/pulls/{number}/",
        "/api/issues/",
        "/api/pulls/",
        "/api/comments/",
        "/api/contributors/",
        "/api/search/",
    ):
        assert set(schema["paths"][path]) == {"get"}, path
    issue_params = {p["name"] for p in schema["paths"]["/api/issues/"]["get"]["parameters"]}
    assert {"repository", "state", "author", "labels", "updated_since", "cursor"} <= issue_params


@pytest.mark.django_db
def test_the_docs_page_loads_only_our_own_files(client):
    response = client.get("/api/docs/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<style" not in page and "<script>" not in page  # no inline code for the CSP
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@needs_chromium
def test_swagger_ui_renders_under_the_content_security_policy(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(f"{live_server.url}/api/docs/")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        page.wait_for_selector("text=/api/issues/", timeout=20_000)

        assert "Steward API" in page.inner_text(".swagger-ui .info .title")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
        assert page.evaluate("window.cspViolations") == []
        assert not [text for text in console if "Content Security Policy" in text]


def test_every_data_image_of_swagger_ui_is_served_from_our_files():
    """A new Swagger UI release that draws another icon from a data: URL fails here: regenerate
    with `python -m tests.community.api.swagger_css`."""
    images, files = data_images(swagger_css())
    overrides = OVERRIDES.read_text()

    assert images
    for image in images:
        assert image.rule in overrides, image.rule
    for name, content in files.items():
        assert (ICONS / name).read_bytes() == content, name
