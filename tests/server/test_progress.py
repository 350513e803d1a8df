from __future__ import annotations

import io

from hcpcs_graph.server.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal() -> None:
    screen = Terminal()
    bar = ProgressBar("Loading 2025-10", stream=screen, width=10)
    for done in (0, 50, 50, 100):
        bar(done, 100)
    bar.close()
    text = screen.getvalue()
    assert "\rLoading 2025-10 [----------]   0%" in text
    assert "\rLoading 2025-10 [#####-----]  50%" in text
    assert text.count(" 50%") == 1  # redrawn only when the figure changes
    assert "[##########] 100%" in text and text.endswith("\r")


def test_no_progress_bar_in_a_pipe() -> None:
    pipe = io.StringIO()
    bar = ProgressBar("Loading", stream=pipe)
    bar(1, 2)
    bar.close()
    assert pipe.getvalue() == ""
