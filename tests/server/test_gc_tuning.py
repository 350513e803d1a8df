"""A serving process freezes what start-up built; an app made for anything else (tests,
a library user) leaves the garbage collector alone."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from hcpcs_graph.server.app import create_app
from hcpcs_graph.server.gc_tuning import YOUNG_THRESHOLD
from hcpcs_graph.server.settings import Settings


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()  # give the test process's objects back to the collector
    gc.set_threshold(*threshold)


@pytest.mark.parametrize("serving", [True, False])
async def test_only_a_serving_app_freezes_startup_objects(
    all_releases_db: Path, unfrozen: None, serving: bool
) -> None:
    app = create_app(Settings(db=str(all_releases_db)), serving=serving)
    async with app.router.lifespan_context(app):
        catalog = (await app.state.database.snapshot()).catalog
        # Frozen objects are in no generation the collector walks.
        walked = any(o is catalog for o in gc.get_objects())
        if serving:
            assert gc.get_threshold()[0] == YOUNG_THRESHOLD
            assert gc.get_freeze_count() > 10_000
            assert not walked  # the catalog, read at start-up, is frozen
            gc.collect()
            assert catalog.releases  # and stays alive and usable
        else:
            assert gc.get_threshold()[0] != YOUNG_THRESHOLD
            assert gc.get_freeze_count() == 0
            assert walked
