"""Invites in Debian's Chromium (issue 15): create, Copy link, Share (the Web Share API
when there is one, the email and text-message fallback when not, and with no JavaScript),
QR downloads that decode to the link, the poster printed to PDF (one A4 or A5 sheet, the
QR 8-10 cm across) and to PNG, revoke with its question and its undo. axe-core finds 0
violations on every page. With `--update-screenshots` the posters go to docs/."""

from __future__ import annotations

import io
import re
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
import segno
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page

from storage.catalog import shown_short
from tests.browser.test_chat_a11y import RULES
from tests.browser.test_console_browser import Server, _free_port, _login

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[2] / "docs"
# PDF points: A4 is 595 x 842, A5 420 x 595.
SHEETS = {"a4": (595, 842), "a5": (420, 595)}
CM_PER_CSS_PX = 2.54 / 96


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("invites"), _free_port())
    srv.start()
    assert srv.ready.wait(60)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", srv.port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)  # waiting for the port to open, not for a race
    yield srv
    srv.server.should_exit = True
    srv.join(10)


def _axe(page: Page, name: str) -> None:
    results = Axe().run(page, options=RULES)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def _new_invite(page: Page, base: str, label: str, *, axe: bool = True) -> str:
    page.goto(f"{base}/admin/invites")
    if axe:  # axe runs as a script: not on a page with JavaScript off
        _axe(page, "invites")
    page.fill("input[name=label]", label)
    page.click("text=Create invite")
    page.wait_for_url(re.compile(r".*/admin/invites/[^/]+\?done=created$"))
    return page.url.split("/")[-1].split("?")[0]


def _decode_png(data: bytes, modules: int) -> list[list[int]]:
    """Read a QR PNG back into its dark (1) and light (0) modules, border 4."""
    with Image.open(io.BytesIO(data)) as image:
        grey = image.convert("L")
    scale = grey.width // (modules + 8)
    return [
        [
            int(grey.getpixel(((c + 4) * scale + scale // 2, (r + 4) * scale + scale // 2)) < 128)
            for c in range(modules)
        ]
        for r in range(modules)
    ]


def _pdf_sheets(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.fixture
def worker(chromium: Browser, server: Server) -> Iterator[tuple[Page, str]]:
    base = f"http://127.0.0.1:{server.port}"
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()
    _login(page, base, "worker1")
    yield page, base
    context.close()


def test_copy_share_and_qr_downloads(worker: tuple[Page, str], tmp_path: Path) -> None:
    page, base = worker
    invite_id = _new_invite(page, base, "Drop-in noticeboard")
    assert page.locator("[role=status]", has_text="Invite created.").is_visible()
    _axe(page, "invite")
    link = page.input_value("#link-web")
    assert link.startswith(f"{base}/c/")

    page.click("text=Copy link")
    page.wait_for_function("document.getElementById('copy-status').textContent.length > 0")
    assert page.text_content("#copy-status") == "Link copied."
    assert page.evaluate("navigator.clipboard.readText()") == link

    # Share: this Chromium has no Web Share API, so the button opens the fallback.
    assert page.evaluate("typeof navigator.share") == "undefined"
    fallback = page.locator("#share-web")
    assert fallback.is_hidden()
    page.click("text=Share…")
    assert fallback.is_visible()
    mail = fallback.locator("a", has_text="email").get_attribute("href") or ""
    assert mail.startswith("mailto:") and link in unquote(mail)
    _axe(page, "invite with the share fallback open")

    # The Welsh link opens the web chat in Welsh.
    welsh = page.input_value("#link-cy")
    assert welsh == f"{link}?lang=cy"

    files = {}
    for kind in ("svg", "png"):
        with page.expect_download() as download:
            page.click(f"a[href='/admin/invites/{invite_id}/qr/web.{kind}']")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        files[kind] = saved.read_bytes()
    assert ET.fromstring(files["svg"]).tag == "{http://www.w3.org/2000/svg}svg"
    code = segno.make(link, error="m")
    want = [list(row) for row in code.matrix]
    assert _decode_png(files["png"], len(want)) == want, "the PNG is the QR of the link"

    chat = page.context.new_page()
    chat.goto(welsh)
    assert chat.locator("html").get_attribute("lang") == "cy"
    chat.close()


def test_share_uses_the_web_share_api_where_there_is_one(chromium: Browser, server: Server) -> None:
    base = f"http://127.0.0.1:{server.port}"
    context = chromium.new_context()
    context.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    _login(page, base, "worker1")
    _new_invite(page, base, "Sports hall")
    page.click("text=Share…")
    shared = page.evaluate("window.__shared")
    assert shared["url"] == page.input_value("#link-web")
    assert page.locator("#share-web").is_hidden(), "no fallback when the phone can share"
    context.close()


def test_without_javascript_the_links_and_fallback_are_there(
    chromium: Browser, server: Server
) -> None:
    base = f"http://127.0.0.1:{server.port}"
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    _login(page, base, "worker1")
    invite_id = _new_invite(page, base, "Library", axe=False)
    assert page.locator("#share-web").is_visible()
    assert (
        page.locator("[data-copy]").first.is_hidden() and page.locator("[data-share]").is_hidden()
    )
    # Revoke asks first and can be undone, all without JavaScript.
    page.click("text=Revoke this invite…")
    page.wait_for_url(f"{base}/admin/invites/{invite_id}/revoke")
    page.click("text=Yes, revoke it")
    page.wait_for_url(re.compile(re.escape(f"{base}/admin/invites/{invite_id}?done=revoked")))
    assert page.locator("text=This invite no longer works").is_visible()
    page.click("button:has-text('Undo revoke')")
    page.wait_for_url(re.compile(re.escape(f"{base}/admin/invites/{invite_id}?done=restored")))
    assert page.locator("text=Revoke undone").is_visible()
    context.close()


def test_revoke_pages_pass_axe(worker: tuple[Page, str]) -> None:
    page, base = worker
    invite_id = _new_invite(page, base, "Youth club door")
    page.click("text=Revoke this invite…")
    page.wait_for_url(f"{base}/admin/invites/{invite_id}/revoke")
    _axe(page, "revoke question")
    page.click("text=Yes, revoke it")
    page.wait_for_url(re.compile(re.escape(f"{base}/admin/invites/{invite_id}?done=revoked")))
    _axe(page, "revoked invite, with its undo")
    page.goto(f"{base}/admin/invites")
    assert page.locator("button", has_text="Undo revoke").count() == 1
    _axe(page, "invites list with a revoked invite")


@pytest.mark.parametrize(
    ("size", "lang"), [("a4", "en"), ("a4", "both"), ("a5", "cy"), ("a5", "both")]
)
def test_the_poster_prints_on_one_sheet_with_a_big_qr(
    worker: tuple[Page, str], request: pytest.FixtureRequest, tmp_path: Path, size: str, lang: str
) -> None:
    page, base = worker
    invite_id = _new_invite(page, base, f"Poster {size} {lang}")
    page.goto(f"{base}/admin/invites/{invite_id}/poster?size={size}&lang={lang}")
    _axe(page, f"poster {size} {lang}")
    short = page.text_content(".poster-short") or ""
    assert re.fullmatch(rf"127\.0\.0\.1:{server_port(base)}/c/\w{{4}}-\w{{4}}", short)
    assert shown_short(short[-9:].replace("-", "")) == short[-9:]

    page.emulate_media(media="print")
    width = page.locator(".poster-qr").bounding_box()["width"] * CM_PER_CSS_PX
    assert 8 <= width <= 10, f"the QR prints {width:.1f} cm across"
    spill = page.evaluate(
        "() => { const p = document.querySelector('.poster');"
        " return p.scrollHeight - p.clientHeight; }"
    )
    assert spill <= 1, f"{spill} px of the poster does not fit on the sheet"
    last = page.locator(".poster > *").last.bounding_box()
    sheet = page.locator(".poster").bounding_box()
    assert last["y"] + last["height"] <= sheet["y"] + sheet["height"] + 1
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    sheets = _pdf_sheets(pdf)
    assert len(sheets) == 1, f"{len(sheets)} pages"
    (w, h), (want_w, want_h) = sheets[0], SHEETS[size]
    assert abs(w - want_w) < 2 and abs(h - want_h) < 2
    (tmp_path / "poster.pdf").write_bytes(pdf)

    page.emulate_media(media="screen")
    shots = DOCS if request.config.getoption("--update-screenshots") else tmp_path
    name = f"poster-{size}-{'bilingual' if lang == 'both' else lang}.png"
    page.locator(".poster").screenshot(path=str(shots / name))
    with Image.open(shots / name) as image:
        assert image.format == "PNG" and image.height > image.width  # portrait


def server_port(base: str) -> str:
    return base.rsplit(":", 1)[1]


def test_my_results_when_turned_off(worker: tuple[Page, str]) -> None:
    page, base = worker
    page.goto(f"{base}/admin/my-results")
    assert page.locator("h2", has_text="turned off").count() == 1
    assert page.locator("table").count() == 0
    _axe(page, "my results")
