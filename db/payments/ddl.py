"""The payment schedules' tables. Each row names its schedule release (payment_releases.id,
e.g. asp-2025-01); amounts and percentages are decimal strings exactly as CMS writes them,
never floats (db/payments/values.py)."""

from __future__ import annotations

PAYMENT_DDL = """
CREATE TABLE IF NOT EXISTS payment_releases (
    id TEXT PRIMARY KEY,              -- KIND-YYYY-MM, e.g. asp-2025-01
    kind TEXT NOT NULL,               -- asp, ndc, dmepos or dmepen (db/payments/kinds.py)
    effective_from TEXT NOT NULL,     -- ISO date, from the file's title rows or --effective
    effective_through TEXT,           -- ISO date; NULL: until the kind's next release
    title TEXT NOT NULL,              -- the file's title rows, joined by ' / '
    source_name TEXT NOT NULL,
    source_format TEXT NOT NULL,      -- csv, xls or xlsx
    sha256 TEXT NOT NULL,             -- of what the user gave (the ZIP, or the file)
    loaded_at TEXT NOT NULL,
    row_count INTEGER NOT NULL,       -- Level II rows stored
    code_count INTEGER NOT NULL,      -- distinct Level II codes stored
    dropped TEXT NOT NULL             -- JSON {"CPT": n, "CDT": n}: rows not stored, and why
);

CREATE TABLE IF NOT EXISTS asp_prices (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    row INTEGER NOT NULL,             -- the file's row (1-based), for messages
    short_description TEXT NOT NULL,
    dosage TEXT NOT NULL,
    payment_limit TEXT,               -- NULL where CMS writes N/A
    coinsurance_percent TEXT,
    vaccine_awp_percent TEXT,
    vaccine_limit TEXT,
    blood_awp_percent TEXT,
    blood_limit TEXT,
    clotting_factor INTEGER NOT NULL, -- 1 where the Clotting Factor column says 1
    notes TEXT,
    PRIMARY KEY (release, code)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ndc_crosswalk (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    row INTEGER NOT NULL,
    ndc TEXT NOT NULL,                -- as CMS writes it (skin substitutes carry product ids)
    ndc11 TEXT,                       -- the 11 digits when it is an NDC in 5-4-2 form
    short_description TEXT NOT NULL,
    labeler TEXT NOT NULL,
    drug_name TEXT NOT NULL,
    dosage TEXT NOT NULL,             -- HCPCS dosage
    package_size TEXT NOT NULL,
    package_quantity TEXT NOT NULL,
    billing_units TEXT NOT NULL,
    billing_units_per_package TEXT NOT NULL,
    PRIMARY KEY (release, code, row)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ndc_crosswalk_by_ndc ON ndc_crosswalk (ndc11, release);

CREATE TABLE IF NOT EXISTS dmepos_fees (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    row INTEGER NOT NULL,
    modifier TEXT NOT NULL,           -- '' when none
    modifier2 TEXT NOT NULL,          -- '' when none
    jurisdiction TEXT,                -- D, L or J; NULL in DMEPEN
    category TEXT,                    -- IN, FS, CR, ...; NULL in DMEPEN
    ceiling TEXT,                     -- NULL in DMEPEN
    floor TEXT,                       -- NULL in DMEPEN
    short_description TEXT NOT NULL,
    fees TEXT NOT NULL,               -- JSON [[state, non-rural, rural], ...] in file order
    PRIMARY KEY (release, code, row)
);  -- a rowid table: rows of ~1 KB make a WITHOUT ROWID B-tree 4x slower to search
CREATE INDEX IF NOT EXISTS dmepos_fees_by_category ON dmepos_fees (release, category, code);
"""

# Issue 19: the physician, lab, ASC and hospital outpatient fee schedules.
PAYMENT_DDL += """
CREATE TABLE IF NOT EXISTS pfs_rvus (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    modifier TEXT NOT NULL,           -- '' when none; 26, TC or 53
    row INTEGER NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    not_used_for_medicare TEXT,
    work_rvu TEXT NOT NULL,
    nonfacility_pe_rvu TEXT NOT NULL,
    nonfacility_na TEXT,              -- NA: non-facility PE RVUs do not apply
    facility_pe_rvu TEXT NOT NULL,
    facility_na TEXT,
    mp_rvu TEXT NOT NULL,
    nonfacility_total TEXT NOT NULL,
    facility_total TEXT NOT NULL,
    pctc TEXT NOT NULL,
    global_days TEXT NOT NULL,
    pre_op TEXT NOT NULL,
    intra_op TEXT NOT NULL,
    post_op TEXT NOT NULL,
    mult_proc TEXT NOT NULL,
    bilat_surg TEXT NOT NULL,
    asst_surg TEXT NOT NULL,
    co_surg TEXT NOT NULL,
    team_surg TEXT NOT NULL,
    endo_base TEXT,
    conversion_factor TEXT NOT NULL,
    supervision TEXT,
    calculation_flag TEXT,
    imaging_family TEXT,
    nonfacility_pe_opps TEXT,
    facility_pe_opps TEXT,
    mp_opps TEXT,
    PRIMARY KEY (release, code, modifier)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS pfs_localities (
    release TEXT NOT NULL,
    mac TEXT NOT NULL,                -- Medicare administrative contractor, 5 digits
    locality TEXT NOT NULL,           -- 2 digits
    state TEXT NOT NULL,
    name TEXT NOT NULL,
    work_gpci TEXT NOT NULL,
    pe_gpci TEXT NOT NULL,
    mp_gpci TEXT NOT NULL,
    counties TEXT,                    -- 25LOCCO's counties
    anesthesia_cf TEXT,               -- ANES2025's conversion factor
    PRIMARY KEY (release, mac, locality)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS lab_fees (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    modifier TEXT NOT NULL,           -- '' when none
    row INTEGER NOT NULL,
    effective_date TEXT NOT NULL,     -- ISO date
    indicator TEXT NOT NULL,
    rate TEXT NOT NULL,
    short_description TEXT NOT NULL,
    PRIMARY KEY (release, code, modifier)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS asc_payments (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    row INTEGER NOT NULL,
    addendum TEXT NOT NULL,           -- AA (surgical procedures) or BB (ancillary services)
    short_description TEXT NOT NULL,
    payment_indicator TEXT NOT NULL,
    multiple_procedure_discounting TEXT,  -- AA: Y or N
    pass_through_expiration TEXT,     -- BB
    payment_weight TEXT,
    payment_rate TEXT,
    adjusted_copayment TEXT,          -- BB's IRA-22 adjusted copayment
    PRIMARY KEY (release, code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS asc_payments_by_indicator
    ON asc_payments (release, payment_indicator, code);

CREATE TABLE IF NOT EXISTS opps_payments (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    row INTEGER NOT NULL,
    short_description TEXT NOT NULL,
    status_indicator TEXT NOT NULL,
    apc TEXT,
    relative_weight TEXT,
    payment_rate TEXT,
    national_copayment TEXT,
    minimum_copayment TEXT,
    changed INTEGER NOT NULL,         -- 1 where the file marks the row changed (*)
    PRIMARY KEY (release, code)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS opps_payments_by_indicator
    ON opps_payments (release, status_indicator, code);
CREATE INDEX IF NOT EXISTS opps_payments_by_apc ON opps_payments (release, apc, code);

CREATE TABLE IF NOT EXISTS payment_indicators (
    release TEXT NOT NULL,
    scheme TEXT NOT NULL,             -- asc (the ZIP's Addendum DD1)
    code TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (release, scheme, code)
) WITHOUT ROWID;
"""

# Issue 20: CMS's lists of "not otherwise classified" codes (a claim with one needs a
# narrative description).
PAYMENT_DDL += """
CREATE TABLE IF NOT EXISTS noc_codes (
    release TEXT NOT NULL,
    code TEXT NOT NULL,
    row INTEGER NOT NULL,
    long_description TEXT NOT NULL,   -- continuation rows joined
    added_date TEXT,                  -- ISO
    termination_date TEXT,            -- ISO
    PRIMARY KEY (release, code)
) WITHOUT ROWID;
"""
