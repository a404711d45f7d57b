"""PDF report of a complete round: median of 10 renders, against the same summary as HTML.

Run: .venv/bin/python bench/pdf_report.py   (needs PostgreSQL on 127.0.0.1:5432)
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, median_ms, prepare_database, setup_django  # noqa: E402

RUNS = 10


def main():
    prepare_database()
    setup_django("bench.settings_scale")  # no page cache: both renders do all the work
    from django.conf import settings
    from django.test import Client

    from bench.data import complete_organisation

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    organisation = complete_organisation()
    round_ = organisation.rounds.order_by("-created_at").first()
    client = Client()
    client.force_login(organisation.memberships.first().user)
    base = f"/lv/org/{organisation.slug}/rounds/{round_.pk}/"

    def timed(url):
        samples = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        return samples, response

    client.get(base + "report.pdf")  # warm up fonts and templates
    client.get(base + "summary/")
    pdf_samples, pdf = timed(base + "report.pdf")
    html_samples, _ = timed(base + "summary/")
    pdf_ms, html_ms = median_ms(pdf_samples), median_ms(html_samples)
    print(f"machine: {machine()}")
    print(
        f"complete round: 80 items answered with comments, 6 notes, 10 actions, "
        f"previous round compared; PDF {len(pdf.content) // 1024} KiB"
    )
    print(f"PDF report   median of {RUNS}: {pdf_ms:8.1f} ms")
    print(f"HTML summary median of {RUNS}: {html_ms:8.1f} ms")
    print(f"ratio PDF / HTML: {pdf_ms / html_ms:.1f}x")


if __name__ == "__main__":
    main()
