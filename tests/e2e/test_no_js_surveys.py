"""Surveys with JavaScript off: building, answering and reading the results are plain HTML forms.

1. RCA staff build a survey from nothing: create it for a saved segment, add questions of five
   kinds, move two of them with the Up/Down buttons (the drag-and-drop of surveys.js is only an
   enhancement), preview it with a test answer, and open it; the survey, its questions in their
   new order and the segment member's invitation are read in the database.
2. A member opens a survey from the inbox, answers every question kind, forgets a required one
   (the message sits next to that question and every other answer is kept), saves a draft, comes
   back later and sends the answers; the stored response is read in the database.
3. Staff read the results: each chart is an SVG drawn on the server, with its data table in a
   <details>, the free-text answers can be searched and the cross-tabulation is a GET form.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import DESKTOP, PHONE, Viewport, log_in_with_form, screenshot

pytestmark = pytest.mark.browser

FLASH = ".flashes .notice"
SEND = "main button[name=action][value=submit]"
SAVE_DRAFT = "main button[name=action][value=save]"


def _page(open_page: Any, email: str, viewport: Viewport) -> Page:
    from tests.factories.auth import DEFAULT_PASSWORD

    page: Page = open_page(viewport, javascript=False)
    log_in_with_form(page, email, DEFAULT_PASSWORD)
    return page


def _member_in(live: LiveServer, prefix: str, city: str) -> tuple[int, str, int]:
    """One member living in `city` and a saved segment of that city: (user id, email, segment)."""
    from tests.factories.outreach import create_members, make_segment

    def seed() -> tuple[int, str, int]:
        (user_id,) = create_members(1, prefix=prefix, profile={"city": city})
        segment = make_segment({"cities": [city]}, name=f"{city} members")
        return user_id, f"{prefix}0@example.org", segment.id

    result: tuple[int, str, int] = live.in_app(seed)
    return result


# --------------------------------------------------------------------------- 1. building

BUILT_TITLE = "No-script survey on visits"
QUESTIONS = [  # (kind, text, required, choices, allow_other, min, max), in the order added
    ("single", "How often do you visit Rwanda?", True, ["Every year", "Sometimes", "Rarely"]),
    ("multiple", "Which languages do you work in?", False, ["English", "French", "Kinyarwanda"]),
    ("rating", "How useful was your last visit?", False, []),
    ("long_text", "What would help you contribute?", False, []),
    ("number", "How many days a year could you give?", False, []),
]


def _question_list(page: Page) -> list[str]:
    return page.locator("#survey-questions > li > p > strong").all_text_contents()


def test_staff_build_preview_and_open_a_survey_with_javascript_off(
    live_server: LiveServer, open_page: Any
) -> None:
    from app.outreach.models import InboxEntry
    from app.surveys.models import Survey, SurveyInvitation

    staff = live_server.make_user(role="rca_staff", email="nojs.builder@rca.rw")
    member_id, _email, segment_id = _member_in(live_server, "nojsbuild", "Nojsbuildcity")
    page = _page(open_page, staff["email"], DESKTOP)

    page.goto("/surveys/staff")
    page.locator("main a[href$='/surveys/staff/new']").click()
    page.locator("#title").fill(BUILT_TITLE)
    page.locator("#intro").fill("Five questions about your visits home.")
    page.get_by_label("A saved segment").check()
    page.locator("#segment_id").select_option(label="Nojsbuildcity members")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/surveys/staff/\d+$"))
    survey_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("main .empty")).to_contain_text("No question yet.")

    for kind, text, required, choices in QUESTIONS:
        page.locator(f"main a[href$='/surveys/staff/{survey_id}/questions/new']").click()
        page.locator("#kind").select_option(kind)
        page.locator("#text").fill(text)
        if required:
            page.locator("#is_required").check()
        if choices:
            page.locator("#choices_en").fill("\n".join(choices))
        if kind == "multiple":
            page.locator("#allow_other").check()
        if kind == "number":
            page.locator("#min_value").fill("0")
            page.locator("#max_value").fill("365")
        page.locator("main form[method=post] button[type=submit]").click()
        expect(page).to_have_url(re.compile(rf"/surveys/staff/{survey_id}$"))
        expect(page.locator(FLASH).last).to_contain_text("Question added.")
    added = [q[1] for q in QUESTIONS]
    assert _question_list(page) == added

    # Without JavaScript there is no drag and drop: each question has Up/Down buttons (forms).
    page.get_by_role("button", name="Move question 4 up").click()
    expect(page.locator(FLASH).last).to_contain_text("Order saved.")
    assert _question_list(page) == [added[0], added[1], added[3], added[2], added[4]]
    page.get_by_role("button", name="Move question 1 down").click()
    expect(page.locator(FLASH).last).to_contain_text("Order saved.")
    order = [added[1], added[0], added[3], added[2], added[4]]
    assert _question_list(page) == order
    screenshot(page, "nojs-survey-builder", DESKTOP)

    # The preview shows the questions in the new order and takes a test answer.
    page.locator("main a[href$='/preview']").click()
    expect(page.locator("main .notice--warning")).to_contain_text("Preview")
    labels = page.locator("main .survey-question > .label, main .survey-question legend")
    expect(labels).to_have_count(len(order))
    for n, (label, text) in enumerate(zip(labels.all_inner_texts(), order, strict=True), 1):
        assert label.startswith(f"{n}. {text}"), (n, label)
    page.get_by_label("Sometimes").check()
    page.locator(SEND).click()
    expect(page).to_have_url(re.compile(rf"/surveys/staff/{survey_id}$"))
    expect(page.locator(FLASH).last).to_contain_text("Test answer accepted")

    page.locator(f"main form[action$='/surveys/staff/{survey_id}/open'] button").click()
    expect(page.locator(FLASH).last).to_contain_text("Survey opened")
    expect(page.locator("main .badge--ok")).to_have_text("Open")

    def state() -> dict[str, Any]:
        survey = db.session.get(Survey, survey_id)
        assert survey is not None
        return {
            "status": str(survey.status),
            "audience": (str(survey.audience_kind), survey.segment_id),
            "questions": [
                (q.position, str(q.kind), q.text, q.is_required, [c["en"] for c in q.choices])
                for q in sorted(survey.questions, key=lambda q: q.position)
            ],
            "other": [q.allow_other for q in survey.questions if str(q.kind) == "multiple"],
            "range": [
                (q.min_value, q.max_value) for q in survey.questions if str(q.kind) == "number"
            ],
            "invited": list(
                db.session.scalars(
                    select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey_id)
                )
            ),
            "inbox": list(
                db.session.scalars(
                    select(InboxEntry.link_url).where(InboxEntry.user_id == member_id)
                )
            ),
        }

    saved = live_server.in_app(state)
    by_text = {q[1]: q for q in QUESTIONS}
    assert saved["status"] == "open"
    assert saved["audience"] == ("segment", segment_id)
    assert saved["questions"] == [
        (n, by_text[text][0], text, by_text[text][2], by_text[text][3])
        for n, text in enumerate(order, start=1)
    ]
    assert saved["other"] == [True]
    assert saved["range"] == [(0.0, 365.0)]
    assert saved["invited"] == [member_id]
    assert [url.endswith(f"/surveys/{survey_id}/answer") for url in saved["inbox"]] == [True]
    assert not live_server.csp_errors, live_server.csp_errors


# --------------------------------------------------------------------------- 2. answering

ANSWER_TITLE = "No-script survey, every kind"


def _open_survey_of_every_kind(live: LiveServer, segment_id: int) -> dict[str, int]:
    """An open survey (opened by the service: inbox entries) with one question of each kind."""
    from app.surveys import services
    from app.surveys.models import AudienceKind
    from tests.factories.surveys import SurveyFactory, add_all_question_types

    def seed() -> dict[str, int]:
        survey = SurveyFactory(
            title=ANSWER_TITLE, audience_kind=AudienceKind.SEGMENT, segment_id=segment_id
        )
        db.session.flush()
        questions = add_all_question_types(survey)
        services.open_survey(survey)
        return {"survey": survey.id} | {name: q.id for name, q in questions.items()}

    ids: dict[str, int] = live.in_app(seed)
    return ids


def _response(live: LiveServer, survey_id: int, user_id: int) -> dict[str, Any] | None:
    from app.surveys.models import SurveyResponse

    def read() -> dict[str, Any] | None:
        response = db.session.scalar(
            select(SurveyResponse).where(
                SurveyResponse.survey_id == survey_id, SurveyResponse.user_id == user_id
            )
        )
        if response is None:
            return None
        return {
            "status": str(response.status),
            "answers": response.answer_map(),
            "others": {a.question_id: a.other_text for a in response.answers if a.other_text},
        }

    result: dict[str, Any] | None = live.in_app(read)
    return result


def test_member_answers_every_question_kind_with_javascript_off(
    live_server: LiveServer, open_page: Any
) -> None:
    member_id, email, segment_id = _member_in(live_server, "nojsanswer", "Nojsanswercity")
    q = _open_survey_of_every_kind(live_server, segment_id)
    page = _page(open_page, email, PHONE)

    # The invitation is in the inbox; its entry links to the answering form.
    page.goto("/outreach/inbox")
    page.get_by_role("link", name=f"Survey: {ANSWER_TITLE}").click()
    page.locator("main a.btn", has_text="Open the link").click()
    expect(page).to_have_url(re.compile(rf"/surveys/{q['survey']}/answer$"))
    # Without JavaScript the conditional question stays on the page and says when it applies.
    expect(page.locator(f"#question-{q['conditional']} .hint")).to_contain_text(
        "Answer only if you answered “Yes” to question 3."
    )

    # Every kind but the required single choice, left empty on purpose.
    multiple = page.locator(f"#question-{q['multiple']}")
    multiple.get_by_label("English").check()
    multiple.get_by_label("Other", exact=True).check()
    page.locator(f"#q{q['multiple']}_other").fill("Swahili")
    page.locator(f"#question-{q['yes_no']}").get_by_label("Yes").check()
    page.locator(f"#q{q['conditional']}").fill("Two years at Butaro hospital.")
    page.locator(f"#q{q['short']}").fill("Nurse educator")
    page.locator(f"#question-{q['rating']}").get_by_label("4", exact=True).check()
    page.locator(f"#q{q['number']}").fill("12")
    page.locator(f"#q{q['date']}").fill("2027-03-01")
    page.locator(f"#q{q['country']}").select_option("RW")
    page.locator(SEND).click()

    # The server answers 400 with the form again: the summary, and the message next to the field.
    expect(page.locator("#form-errors")).to_contain_text("Please correct the highlighted answers.")
    single = page.locator(f"#question-{q['single']}")
    error = single.locator(f"#q{q['single']}-error")
    expect(error).to_have_text("This question needs an answer.")
    expect(single).to_have_class(re.compile(r"\bfield--error\b"))
    fieldset = single.locator("fieldset")
    assert f"q{q['single']}-error" in (fieldset.get_attribute("aria-describedby") or "").split()
    expect(single.locator("input[type=radio]").first).to_have_attribute("aria-invalid", "true")
    # "Next to the field": the message directly follows the question's choices, below them.
    assert error.evaluate("(e) => e.previousElementSibling.tagName") == "FIELDSET"
    box, below = fieldset.bounding_box(), error.bounding_box()
    assert box and below and below["y"] >= box["y"] + box["height"], (box, below)
    # Only that question is marked; every other answer is still there.
    expect(page.locator("main .field--error")).to_have_count(1)
    expect(multiple.get_by_label("English")).to_be_checked()
    expect(multiple.get_by_label("French")).not_to_be_checked()
    expect(multiple.get_by_label("Other", exact=True)).to_be_checked()
    expect(page.locator(f"#q{q['multiple']}_other")).to_have_value("Swahili")
    expect(page.locator(f"#question-{q['yes_no']}").get_by_label("Yes")).to_be_checked()
    expect(page.locator(f"#q{q['conditional']}")).to_have_value("Two years at Butaro hospital.")
    expect(page.locator(f"#q{q['short']}")).to_have_value("Nurse educator")
    expect(page.locator(f"#question-{q['rating']}").get_by_label("4", exact=True)).to_be_checked()
    expect(page.locator(f"#q{q['number']}")).to_have_value("12")
    expect(page.locator(f"#q{q['date']}")).to_have_value("2027-03-01")
    expect(page.locator(f"#q{q['country']}")).to_have_value("RW")
    screenshot(page, "nojs-survey-answer-error", PHONE)
    # Nothing was stored by the refused submission.
    refused = _response(live_server, q["survey"], member_id)
    assert refused is None or refused["answers"] == {}, refused

    # Answer it, then save a draft and leave.
    single.get_by_label("Education").check()
    page.locator(SAVE_DRAFT).click()
    expect(page.locator(FLASH).last).to_contain_text("Your answers are saved.")
    expected = {
        q["single"]: "2",
        q["multiple"]: ["1", "__other__"],
        q["yes_no"]: "yes",
        q["conditional"]: "Two years at Butaro hospital.",
        q["short"]: "Nurse educator",
        q["rating"]: 4,
        q["number"]: 12,
        q["date"]: "2027-03-01",
        q["country"]: "RW",
    }
    draft = _response(live_server, q["survey"], member_id)
    assert draft == {"status": "draft", "answers": expected, "others": {q["multiple"]: "Swahili"}}

    # Back later from "My surveys": the draft is there; change one answer and send.
    page.goto("/surveys/")
    page.locator(f"main a[href$='/surveys/{q['survey']}/answer']", has_text="Continue").click()
    expect(single.get_by_label("Education")).to_be_checked()
    expect(page.locator(f"#q{q['multiple']}_other")).to_have_value("Swahili")
    page.locator(f"#q{q['number']}").fill("15")
    page.locator(SEND).click()
    expect(page).to_have_url(re.compile(rf"/surveys/{q['survey']}/thanks$"))

    sent = _response(live_server, q["survey"], member_id)
    assert sent == {
        "status": "submitted",
        "answers": expected | {q["number"]: 15},
        "others": {q["multiple"]: "Swahili"},
    }
    page.goto("/surveys/")
    expect(page.locator("main .badge--ok")).to_have_text("Answered, thank you")
    assert not live_server.csp_errors, live_server.csp_errors


# --------------------------------------------------------------------------- 3. results

RESULTS_TITLE = "No-script survey results"


def _survey_with_answers(live: LiveServer) -> dict[str, int]:
    """An open survey, three invited members, three sent responses."""
    from werkzeug.datastructures import MultiDict

    from app.auth.models import User
    from app.database import utcnow
    from app.surveys import services
    from app.surveys.models import SurveyInvitation, SurveyStatus
    from tests.factories.outreach import create_members
    from tests.factories.surveys import SurveyFactory

    def seed() -> dict[str, int]:
        survey = SurveyFactory(title=RESULTS_TITLE, status=SurveyStatus.OPEN, opened_at=utcnow())
        db.session.flush()
        single = services.save_question(
            survey,
            None,
            kind="single",
            text="How often do you visit Rwanda?",
            choices_en="Every year\nSometimes\nRarely",
        )
        rating = services.save_question(survey, None, kind="rating", text="How useful is it?")
        short = services.save_question(survey, None, kind="short_text", text="What would help?")
        db.session.refresh(survey)
        answers = [("1", "4", "More mentors"), ("1", "5", "Shorter forms"), ("3", "4", "")]
        for user_id, (choice, stars, text) in zip(
            create_members(3, prefix="nojsresults"), answers, strict=True
        ):
            db.session.add(SurveyInvitation(survey_id=survey.id, user_id=user_id))
            user = db.session.get(User, user_id)
            response = services.start_response(survey, user=user)
            data = MultiDict(
                {f"q{single.id}": choice, f"q{rating.id}": stars, f"q{short.id}": text}
            )
            services.save_answers(survey, response, data)
            services.submit_response(survey, response)
        return {"survey": survey.id, "single": single.id, "rating": rating.id, "short": short.id}

    ids: dict[str, int] = live.in_app(seed)
    return ids


def _chart_texts(section: Any) -> list[str]:
    chart = section.locator("svg.chart")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    return [t.strip() for t in chart.locator("text").all_text_contents()]


def _data_table(section: Any) -> list[list[str]]:
    """Open the section's "Data table" disclosure (a native <details>) and read its rows."""
    table = section.locator("details table")
    expect(table).to_be_hidden()
    section.locator("details > summary", has_text="Data table").click()
    expect(table).to_be_visible()
    return [
        [cell.strip() for cell in row.locator("td").all_text_contents()]
        for row in table.locator("tbody tr").all()
    ]


def test_staff_read_survey_results_with_javascript_off(
    live_server: LiveServer, open_page: Any
) -> None:
    staff = live_server.make_user(role="rca_staff", email="nojs.results@rca.rw")
    q = _survey_with_answers(live_server)
    page = _page(open_page, staff["email"], DESKTOP)

    page.goto(f"/surveys/staff/{q['survey']}")
    page.locator("main a[href$='/results']").click()
    expect(page).to_have_url(re.compile(rf"/surveys/staff/{q['survey']}/results$"))
    expect(page.locator("#response-rate")).to_have_text("3 of 3 invited members (100.0%)")

    # The charts are SVG drawn on the server: label then count, one bar per option.
    single = page.locator(f"#result-{q['single']}")
    expect(single.locator("svg.chart title")).to_have_text("How often do you visit Rwanda?")
    assert _chart_texts(single) == ["Every year", "2", "Sometimes", "0", "Rarely", "1"]
    assert _data_table(single) == [["Every year", "2"], ["Sometimes", "0"], ["Rarely", "1"]]
    rating = page.locator(f"#result-{q['rating']}")
    assert _chart_texts(rating) == ["1", "0", "2", "0", "3", "0", "4", "2", "5", "1"]
    assert _data_table(rating) == [["1", "0"], ["2", "0"], ["3", "0"], ["4", "2"], ["5", "1"]]
    screenshot(page, "nojs-survey-results", DESKTOP)

    # Free-text answers: a table, searched by a plain GET form.
    short = page.locator(f"#result-{q['short']}")
    expect(short.locator("tbody td")).to_have_text(["More mentors", "Shorter forms"])
    short.get_by_label("Search the answers").fill("mentors")
    short.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"search_{q['short']}=mentors"))
    expect(page.locator(f"#result-{q['short']} tbody td")).to_have_text(["More mentors"])

    # The cross-tabulation is a GET form too; small cells are hidden.
    page.locator("#ct-question").select_option(str(q["single"]))
    page.locator("#ct-by").select_option("country")
    page.get_by_role("button", name="Show").click()
    crosstab = page.locator("#crosstab")
    expect(crosstab).to_be_visible()
    expect(crosstab.locator("thead th")).to_have_text(["Answer", "Belgium"])
    expect(crosstab.locator("tbody th")).to_have_text(["Every year", "Sometimes", "Rarely"])
    expect(crosstab.locator("tbody td")).to_have_text(["<5", "0", "<5"])
    assert not live_server.csp_errors, live_server.csp_errors
