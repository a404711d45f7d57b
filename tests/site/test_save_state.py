"""The state and progress lines of the HTMX saves, built without the template engine."""

from datetime import UTC, datetime

from django.utils import translation

from toolkit_site.save_state import progress_line, save_state


def test_values_are_escaped_and_times_are_local():
    with translation.override("en"):
        html = save_state(
            'k"1', 3, datetime(2026, 1, 5, 22, 7, tzinfo=UTC), "<b>&x@y.example", just_saved=True
        )
    assert 'name="version-k&quot;1" value="3"' in html
    assert "&lt;b&gt;&amp;x@y.example" in html and "<b>" not in html
    # Riga is UTC+2 in winter: the local date and time, as "j.m.Y H:i".
    assert "Saved at 00:07" in html
    assert "Last changed by &lt;b&gt;&amp;x@y.example, 6.01.2026 00:07" in html


def test_a_state_without_an_answer_has_version_0_and_no_times():
    html = save_state("ka1.c1.i01", 0, None, None, just_saved=True)
    assert 'value="0"' in html and "Saved" not in html and 'class="who"' not in html


def test_the_progress_line_goes_out_of_band_only_when_asked():
    assert 'hx-swap-oob="true"' in progress_line("p", "1 of 2", 1, 2, oob=True)
    line = progress_line("p", "0 of 0", 0, 0)
    assert "hx-swap-oob" not in line and 'max="1" value="0"' in line
