"""Pages that are not articles (a web archive's notice, a sign-in form, an error page, a legal
notice under a map) are refused at ingest with one line; the rest of the batch is analysed."""

from __future__ import annotations

import json
from pathlib import Path

from storylens.ingest import ingest
from storylens.ingest.pagekind import non_article
from storylens.options import Options

ARCHIVE_NOTICE = (
    "These snapshots were captured by the Fernleaf crawler in its spring crawl. The crawl started from a seed "
    "list of sites and followed the links on each page to archive the pages they point to. The archived pages "
    "are kept in WARC files and can be browsed in the archive's web viewer once the embargo ends."
)
SIGN_IN = (
    "Welcome back to the Harbour Courier. Please sign in to your account to continue. Forgot your password? "
    "By registering you agree to our terms and privacy policy. Click here to return to the page you were on."
)
ERROR_PAGE = (
    "Sorry, the page you asked for cannot be shown. The link may be broken or the page may have moved to a new "
    "address on this site. Check the web address, or use the navigation at the top of the page to find it."
)
REPORT = (
    "The Tallow Creek council voted on Monday to rebuild the river crossing that floods each spring. "
    "Mayor Ilse Brandt said the work would start in April and cost 4 million dollars. Residents had asked "
    "for a new bridge for a decade, and the vote passed seven to two after a long debate."
)
WEB_NEWS = (
    "A regional court ordered the Corvane web site to delete the accounts of users who asked it to, in a "
    "ruling on Thursday that privacy groups welcomed. The judge said the company had kept the data for years "
    "after users left. Corvane said it would appeal, and that it had already changed its policy on old "
    "profiles. The case began when three former users sued in 2029, saying their pages stayed online."
)


def test_pages_about_the_page_itself_are_not_articles_and_say_what_they_are() -> None:
    assert (non_article(ARCHIVE_NOTICE) or "").startswith("a web archive's notice")
    assert (non_article(SIGN_IN) or "").startswith("a sign-in form")
    assert (non_article(ERROR_PAGE) or "").startswith("an error or site page")
    assert non_article(REPORT) is None
    teasers = "\n\n".join(f"Researchers in {c} found that river otters sleep longer in winter, according to new ..."
                           for c in ("Oslo", "Lima", "Perth", "Kyiv", "Accra", "Quito"))
    assert (non_article(teasers) or "").startswith("an index of teasers")
    assert non_article(REPORT + "\n\nThe vote, officials said, was ...\n\n" + REPORT) is None
    # a report about a web site uses such words among many others
    assert non_article(WEB_NEWS) is None


def test_a_non_article_in_a_batch_is_one_notice_and_the_articles_are_analysed(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in (REPORT, ARCHIVE_NOTICE)), encoding="utf-8")
    result = ingest([str(path)], Options())
    assert len(result.documents) == 1 and "Tallow Creek" in result.documents[0].text
    assert [e.code for e in result.errors] == ["SL041"]
    assert "not a news article" in result.errors[0].message and "crawl" in result.errors[0].message
