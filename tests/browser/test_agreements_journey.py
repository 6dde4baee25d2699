"""An officer prepares and sends an MoU and signs first; the headteacher asks for a change; the
officer changes it, sends it again and signs; the headteacher signs, drawing a signature; the PDF is sealed (a real Celery worker where CI has Redis and
PostgreSQL, in-process otherwise); the verify page accepts that PDF and rejects a copy with
one byte changed."""

import hashlib

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement, Signature
from agreements.tests.worker import can_run_a_real_worker, real_worker
from conftest import build_world

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SEAL_DEADLINE_MS = 90_000


@pytest.fixture
def signing_dir(settings, tmp_path):
    settings.AGREEMENTS_SIGNING_DIR = tmp_path / "signing"
    settings.AGREEMENTS_SIGNING_AUTO_CREATE = True


@pytest.fixture
def seal_worker(settings, tmp_path, signing_dir):
    """A real worker in CI (tasks go through Redis); locally the seal runs in-process."""
    if not can_run_a_real_worker():
        yield None
        return
    log_path = tmp_path / "worker.log"
    with real_worker(log_path) as (queue, worker):
        # The live server must hand the task to the worker, not run it itself.
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
        yield log_path


def new_page(browser, live_server):
    page = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    page.set_default_timeout(15_000)
    return page


def draw_signature(page):
    canvas = page.locator("canvas#signature-canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 30, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 20, y + (15 if step % 2 else -15), steps=3)
    page.mouse.up()


def test_officer_signs_first_head_asks_for_a_change_then_signs_and_the_pdf_verifies(
    page, browser, live_server, seal_worker
):
    world = build_world()
    school = world.schools["a1"]

    # The named officer prepares the MoU from the school page and sends it.
    sign_in(page, world.neighbourhood)
    page.get_by_role("link", name="Schools", exact=True).first.click()
    page.get_by_role("link", name=school.name).click()
    assert_accessible(page)
    page.get_by_role("link", name="Prepare an MoU").click()
    assert_accessible(page)
    page.get_by_label("Local arrangements").fill("PC visits on Tuesday mornings.")
    page.get_by_role("button", name="Prepare the agreement").click()
    expect(page.get_by_role("heading", name="Preview of the agreement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send for signature").click()
    expect(
        page.get_by_text("Sent for signature. The first signer has been emailed.")
    ).to_be_visible()
    agreement = Agreement.objects.get(school=school)
    assert agreement.state == Agreement.State.SENT

    def officer_signs():
        # The officer signs first (the default order), from their home page.
        page.goto("/")
        page.get_by_role("link", name=f"Sign the agreement with {school.name}").click()
        expect(page.get_by_role("heading", name="Read and sign the agreement")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Rank or role").fill("PC")
        page.get_by_label("Collar number").fill("4521")
        draw_signature(page)
        page.get_by_label("I have read this agreement and sign it for Dorset Police").check()
        page.get_by_role("button", name="Sign the agreement").click()

    officer_signs()
    expect(page.get_by_text("Signed. The next signer has been emailed.")).to_be_visible()

    # The headteacher reads it and asks for a change instead of signing.
    head = new_page(browser, live_server)
    sign_in(head, world.headteacher)
    assert_accessible(head)
    head.get_by_role("link", name=f"Sign the agreement with {school.name}").click()
    expect(head.get_by_role("heading", name="Read and sign the agreement")).to_be_visible()
    expect(head.get_by_role("heading", name="Searching pupils")).to_be_visible()
    head.get_by_role("link", name="Ask for changes instead of signing").click()
    assert_accessible(head)
    head.get_by_role("button", name="Return it to the officer").click()
    expect(head.get_by_text("Say what should change").first).to_be_visible()
    assert_accessible(head)
    head.get_by_label("What should change?").fill("Visits are on Wednesdays now.")
    head.get_by_role("button", name="Return it to the officer").click()
    expect(head.get_by_text("Returned to the officer with your reason.")).to_be_visible()

    # The officer reads the reason, changes the draft and sends it again.
    page.goto(agreement.get_absolute_url())
    expect(page.get_by_text("Visits are on Wednesdays now.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change the draft").click()
    page.get_by_label("Local arrangements").fill("PC visits on Wednesday mornings.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Send for signature").click()
    officer_signs()
    expect(page.get_by_text("Signed. The next signer has been emailed.")).to_be_visible()
    assert agreement.versions.count() == 2

    # The headteacher signs the new version, drawing a signature.
    head.goto("/")
    head.get_by_role("link", name=f"Sign the agreement with {school.name}").click()
    expect(head.get_by_role("heading", name="Read and sign the agreement")).to_be_visible()
    expect(head.get_by_text("PC visits on Wednesday mornings.")).to_be_visible()
    expect(
        head.get_by_role("heading", name="Appendix: Information sharing agreement")
    ).to_be_visible()
    assert_accessible(head)
    expect(head.get_by_label("Your full name")).to_have_value(world.headteacher.full_name)
    draw_signature(head)
    head.get_by_label(f"I have read this agreement and sign it for {school.name}").check()
    head.get_by_role("button", name="Sign the agreement").click()
    expect(head.get_by_text("Signed. The agreement is now active.")).to_be_visible()
    assert_accessible(head)
    signature = Signature.objects.get(party="school")
    assert bytes(signature.drawn_png).startswith(b"\x89PNG")
    assert signature.user_agent and signature.ip_address
    head.context.close()
    page.goto(agreement.get_absolute_url())

    # The page says the PDF is being prepared and refreshes until it is ready.
    download = page.get_by_role("link", name="Download the signed PDF")
    download.wait_for(timeout=SEAL_DEADLINE_MS)
    assert_accessible(page)
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE and agreement.is_sealed
    if seal_worker is not None:
        log = seal_worker.read_text(errors="replace")
        # The worker logs the task when it receives it (before the result, which may lag).
        assert "agreements.tasks.seal_agreement[" in log and "received" in log, log
    with page.expect_download() as downloaded:
        download.click()
    with open(downloaded.value.path(), "rb") as handle:
        pdf = handle.read()
    assert hashlib.sha256(pdf).hexdigest() == agreement.sealed_sha256

    # The officer sends the signed copy to the governors' clerk.
    page.get_by_role("link", name="Send the signed copy to others").click()
    assert_accessible(page)
    page.get_by_label("Email addresses").fill("clerk@governors.example.org")
    page.get_by_role("button", name="Send the signed copy").click()
    expect(page.get_by_text("The signed copy has been sent to 1 address.")).to_be_visible()

    # The verify page accepts the PDF and names the agreement...
    page.goto("/agreements/verify/")
    assert_accessible(page)
    page.get_by_label("Upload the agreement PDF").set_input_files(
        {"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="Check the PDF").click()
    expect(page.get_by_role("heading", name="This PDF is genuine")).to_be_visible()
    expect(
        page.get_by_role("link", name=f"Memorandum of Understanding with {school.name}")
    ).to_be_visible()
    expect(page.get_by_text("No trusted timestamp")).to_be_visible()
    assert_accessible(page)

    # ...and rejects a copy with one byte changed.
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    page.get_by_label("Upload the agreement PDF").set_input_files(
        {"name": "changed.pdf", "mimeType": "application/pdf", "buffer": bytes(changed)}
    )
    page.get_by_role("button", name="Check the PDF").click()
    expect(
        page.get_by_role("heading", name="This PDF is not a genuine agreement of Dorset Police")
    ).to_be_visible()
    assert_accessible(page)
