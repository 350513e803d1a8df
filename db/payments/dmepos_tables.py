"""The DMEPOS fee schedule's coded columns, as CMS's DMEREAD (the release's readme)
decodes them, and the states its fee columns name."""

from __future__ import annotations

JURISDICTIONS = {
    "D": "DME MAC jurisdiction",
    "L": "Local Part B carrier jurisdiction",
    "J": "Joint DME MAC and local carrier jurisdiction",
}

CATEGORIES = {
    "IN": "Inexpensive and other routinely purchased items",
    "FS": "Frequently serviced items",
    "CR": "Capped rental items",
    "OX": "Oxygen and oxygen equipment",
    "OS": "Ostomy, tracheostomy and urological items",
    "SD": "Surgical dressings",
    "PO": "Prosthetics and orthotics",
    "SU": "Supplies",
    "TE": "Transcutaneous electrical nerve stimulators",
    "TS": "Therapeutic shoes",
    "IL": "Intraocular lenses",
    "SC": "Splints and casts",
    "LC": "Lymphedema compression treatment items",
    "LT": "Labor rates",
}

# The fee columns of DMEPOS and DMEPEN: the 50 states, DC, Puerto Rico and the Virgin Islands
# fmt: off
STATES = (
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID",
    "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC",
    "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC",
    "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
)
# fmt: on
