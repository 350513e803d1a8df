from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with a global, opaque, stable id (Relay).")
class Node:
    id: strawberry.ID = strawberry.field(
        description="The object's global id, for `node(id:)`: opaque and stable."
    )
