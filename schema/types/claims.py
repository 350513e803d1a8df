"""Claim line checks (issue 20): what a billing screen sends (`ClaimLineInput`) and what it
gets back per line (`ClaimLineCheck`): a verdict, the code in force on the date of service,
findings with a stable rule each, and the allowed amount where a schedule gives one.

The rules themselves are in schema/claims.py; this module only declares the types. Sources
are names and file names (strings) rather than objects: a 500-line claim must stay within
the cost limit (schema/limits.py counts objects, not strings).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import Private
from strawberry.types.arguments import InputContext

from hcpcs_graph.schema.scalars import Date, Decimal
from hcpcs_graph.schema.types.payments import LazyHcpcsCode, PaymentRelease, schedule_codes

if TYPE_CHECKING:
    from hcpcs_graph.schema.types.protocol import RequestContext as Context

MAX_LINES = 500
MAX_MODIFIERS = 4  # a professional claim line carries four (CMS-1500 box 24D, 837P SV101)
MAX_FINDINGS = 16  # per line: every rule at once fires 14 at most (4 modifier findings)
MAX_LINKS = 5  # a record's cross references: five at most


@strawberry.enum(description="Where the service was furnished, as the claim is billed.")
class ClaimSetting(enum.Enum):
    PROFESSIONAL = strawberry.enum_value(
        "PROFESSIONAL",
        description="A professional or supplier claim (CMS-1500, 837P) in a non-facility "
        "setting such as an office: the physician fee schedule's non-facility amount.",
    )
    OUTPATIENT_HOSPITAL = strawberry.enum_value(
        "OUTPATIENT_HOSPITAL",
        description="A hospital outpatient department: the OPPS status indicator is checked, "
        "and the physician fee schedule's facility amount applies to the professional service.",
    )
    ASC = strawberry.enum_value(
        "ASC",
        description="An ambulatory surgical center: the physician fee schedule's facility "
        "amount applies to the professional service.",
    )


@strawberry.enum(description="A line's overall answer: the worst severity of its findings.")
class ClaimVerdict(enum.Enum):
    OK = strawberry.enum_value("OK", description="No finding above INFO.")
    WARNING = strawberry.enum_value(
        "WARNING",
        description="Billable, but something needs a person's attention (a narrative, the "
        "contractor's judgement, data missing for the date).",
    )
    ERROR = strawberry.enum_value(
        "ERROR", description="As sent, Medicare will reject or deny the line."
    )


@strawberry.enum(description="How much a finding matters.")
class FindingSeverity(enum.Enum):
    INFO = strawberry.enum_value("INFO", description="Said for the record; the verdict ignores it.")
    WARNING = strawberry.enum_value("WARNING", description="Needs attention; may still be paid.")
    ERROR = strawberry.enum_value("ERROR", description="Rejected or denied as sent.")


@strawberry.enum(
    description="The rule a finding comes from: stable names for programs (README, 'Checking "
    "claim lines', lists each with its severity, the data it needs and CMS's source)."
)
class ClaimRule(enum.Enum):
    DATE_OUTSIDE_RELEASES = strawberry.enum_value(
        "DATE_OUTSIDE_RELEASES",
        description="The date of service is in no loaded HCPCS release's quarter.",
    )
    CODE_UNKNOWN = strawberry.enum_value(
        "CODE_UNKNOWN", description="No loaded release has the code."
    )
    CODE_NOT_YET_EFFECTIVE = strawberry.enum_value(
        "CODE_NOT_YET_EFFECTIVE", description="The code was added after the date of service."
    )
    CODE_TERMINATED = strawberry.enum_value(
        "CODE_TERMINATED",
        description="The code's termination date (its last valid date) is before the date "
        "of service; links are its cross-reference replacements.",
    )
    MODIFIER_UNKNOWN = strawberry.enum_value(
        "MODIFIER_UNKNOWN", description="No loaded release has the modifier."
    )
    MODIFIER_NOT_YET_EFFECTIVE = strawberry.enum_value(
        "MODIFIER_NOT_YET_EFFECTIVE",
        description="The modifier was added after the date of service.",
    )
    MODIFIER_TERMINATED = strawberry.enum_value(
        "MODIFIER_TERMINATED",
        description="The modifier's termination date is before the date of service.",
    )
    COVERAGE_NOT_PAYABLE = strawberry.enum_value(
        "COVERAGE_NOT_PAYABLE",
        description="Coverage code I: not payable by Medicare (another code is used).",
    )
    COVERAGE_NON_COVERED = strawberry.enum_value(
        "COVERAGE_NON_COVERED", description="Coverage code M: non-covered by Medicare."
    )
    COVERAGE_STATUTORY_EXCLUSION = strawberry.enum_value(
        "COVERAGE_STATUTORY_EXCLUSION",
        description="Coverage code S: non-covered by Medicare statute.",
    )
    COVERAGE_CONTRACTOR_JUDGMENT = strawberry.enum_value(
        "COVERAGE_CONTRACTOR_JUDGMENT",
        description="Coverage code C: carrier (contractor) judgment.",
    )
    COVERAGE_SPECIAL_INSTRUCTIONS = strawberry.enum_value(
        "COVERAGE_SPECIAL_INSTRUCTIONS",
        description="Coverage code D: special coverage instructions apply.",
    )
    NOT_SEPARATELY_PRICED = strawberry.enum_value(
        "NOT_SEPARATELY_PRICED",
        description="Pricing indicator 00: not separately priced by Part B.",
    )
    CONTRACTOR_PRICED = strawberry.enum_value(
        "CONTRACTOR_PRICED",
        description="Pricing indicator 13, 22, 46 or 57: priced by the contractor.",
    )
    NOT_OTHERWISE_CLASSIFIED = strawberry.enum_value(
        "NOT_OTHERWISE_CLASSIFIED",
        description="A not otherwise classified (NOC) code: the claim needs a narrative "
        "description of what was furnished.",
    )
    NDC_NOT_CROSSWALKED = strawberry.enum_value(
        "NDC_NOT_CROSSWALKED",
        description="The NDC is not crosswalked to the code in the quarter's NDC-HCPCS "
        "crosswalk; links are the codes it is crosswalked to.",
    )
    NDC_UNITS_NOT_WHOLE = strawberry.enum_value(
        "NDC_UNITS_NOT_WHOLE",
        description="ndcUnits packages do not make a whole number of billing units by the "
        "crosswalk's billing units per package.",
    )
    DMEPOS_NO_FEE = strawberry.enum_value(
        "DMEPOS_NO_FEE",
        description="The DMEPOS schedule prices the code, but not with the line's pricing "
        "modifiers in its state.",
    )
    OPPS_NOT_PAID = strawberry.enum_value(
        "OPPS_NOT_PAID",
        description="In an outpatient hospital setting: the OPPS status indicator says the "
        "code is not paid under the OPPS.",
    )
    NOT_CHECKED = strawberry.enum_value(
        "NOT_CHECKED",
        description="Something the line asks about could not be checked: no schedule "
        "release in force on the date, or the line lacks what the check needs.",
    )


@strawberry.type(description="One thing a rule found on a claim line.")
class ClaimFinding:
    rule: ClaimRule = strawberry.field(description="The rule that found it.")
    severity: FindingSeverity = strawberry.field(description="How much it matters.")
    message: str = strawberry.field(
        description="What was found, naming the values (code, dates, modifiers, NDC) and, for "
        "coded values, CMS's meaning."
    )
    codes: list[str] = strawberry.field(
        description="Codes the finding points to (replacement codes, the codes an NDC bills "
        "under), CPT codes included; `links` resolves the Level II ones."
    )
    source: str = strawberry.field(
        description="Where the finding comes from, for a person to check: the release or "
        "schedule release and its file, e.g. '2025-10 (HCPC2025_OCT_ANWEB_v4.xlsx)'."
    )
    release: str | None = strawberry.field(
        description="The HCPCS release it was read in (`release(name:)`), if any."
    )
    schedule: str | None = strawberry.field(
        description="The payment schedule release it was read in (`paymentRelease(name:)`), if any."
    )
    file: str | None = strawberry.field(description="The file that release was loaded from.")
    date: Private[str]  # the line's date of service: links are resolved as of it

    @strawberry.field(
        description="The Level II codes among `codes`, each as of the HCPCS release in force "
        "on the line's date of service, else its newest loaded version; CPT codes are left out."
    )
    async def links(self, info: strawberry.Info) -> list[LazyHcpcsCode]:
        ctx: Context = info.context
        return await schedule_codes(ctx, self.codes, self.date) if self.codes else []


@strawberry.enum(description="Which schedule an allowed amount comes from.")
class AllowedBasis(enum.Enum):
    ASP_LIMIT = strawberry.enum_value(
        "ASP_LIMIT", description="The ASP pricing file's payment limit per billing unit."
    )
    DMEPOS_FEE = strawberry.enum_value(
        "DMEPOS_FEE",
        description="The DMEPOS (or DMEPEN) fee schedule's non-rural fee in the line's state "
        "for its pricing modifiers.",
    )
    PHYSICIAN_FEE = strawberry.enum_value(
        "PHYSICIAN_FEE",
        description="The physician fee schedule amount at the line's locality (non-facility "
        "for PROFESSIONAL, facility for OUTPATIENT_HOSPITAL and ASC).",
    )


@strawberry.type(
    description="What Medicare allows for the line before deductible, coinsurance and any "
    "adjustment: the schedule's amount per unit times the units, rounded to the cent."
)
class AllowedAmount:
    amount: Decimal = strawberry.field(description="perUnit x units, in US dollars.")
    per_unit: Decimal = strawberry.field(description="The schedule's amount for one unit.")
    units: Decimal = strawberry.field(
        description="The units it is multiplied by: the line's `units`, else the billing "
        "units its NDC packages make, else 1."
    )
    basis: AllowedBasis = strawberry.field(description="The schedule it comes from.")
    detail: str = strawberry.field(
        description="Which row: e.g. 'per 10 MG', 'NY non-rural, modifiers NU', 'locality "
        "13202-01, non-facility'."
    )
    schedule: PaymentRelease = strawberry.field(
        description="The schedule release, with its period (effectiveFrom, effectiveThrough)."
    )


@strawberry.type(description="The answer for one claim line, in the order the lines were sent.")
class ClaimLineCheck:
    line: int = strawberry.field(description="The line's number, from 1.")
    verdict: ClaimVerdict = strawberry.field(
        description="ERROR when any finding is an error, else WARNING when any is a warning, "
        "else OK."
    )
    code: LazyHcpcsCode | None = strawberry.field(
        description="The code's version in force on the date of service (as "
        "`hcpcsCode(asOf:)` picks it), its `status` for that date; null when that release "
        "does not have it or no release is in force."
    )
    findings: list[ClaimFinding] = strawberry.field(
        description="What the rules found, errors first, then warnings, then the rest."
    )
    allowed: AllowedAmount | None = strawberry.field(
        description="The allowed amount, when a schedule in force on the date prices the "
        "line (ASP limit x units; DMEPOS fee for the state and modifiers; physician fee at "
        "the locality); null otherwise."
    )


@strawberry.input(description="One line of a claim, as a billing screen holds it.")
class ClaimLineInput:
    code: str = strawberry.field(description="The HCPCS Level II code, e.g. J9035.")
    date_of_service: Date = strawberry.field(description="The date of service, YYYY-MM-DD.")
    modifiers: list[str] = strawberry.field(
        default_factory=list,
        description=f"Its modifiers, two characters each, at most {MAX_MODIFIERS}.",
    )
    units: Decimal | None = strawberry.field(
        default=None,
        description="Units of service billed; when omitted, the billing units its NDC "
        "packages make, else 1.",
    )
    ndc: str | None = strawberry.field(
        default=None,
        description="The drug's National Drug Code, as printed (4-4-2, 5-3-2, 5-4-1 with "
        "hyphens, or 11 digits).",
    )
    ndc_units: Decimal | None = strawberry.field(
        default=None, description="How many packages of that NDC were used (may be fractional)."
    )
    state: str | None = strawberry.field(
        default=None, description="The beneficiary's state, two letters: for DMEPOS fees."
    )
    locality: str | None = strawberry.field(
        default=None,
        description="The physician fee schedule locality, MAC and locality, e.g. 13202-01.",
    )
    setting: ClaimSetting = strawberry.field(
        default=ClaimSetting.PROFESSIONAL, description="Where it was furnished."
    )


def _line_from_input(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
    """A line from its input value as graphql-core coerced it (dates, decimals and the enum
    already checked). Strawberry's own conversion resolves each field's type for every
    value: 60-70 microseconds a line, most of what a 500-line claim cost."""
    setting = value.get("setting", ClaimSetting.PROFESSIONAL)
    return cls(
        code=value["code"],
        date_of_service=value["dateOfService"],
        modifiers=list(value.get("modifiers") or ()),
        units=value.get("units"),
        ndc=value.get("ndc"),
        ndc_units=value.get("ndcUnits"),
        state=value.get("state"),
        locality=value.get("locality"),
        setting=setting if isinstance(setting, ClaimSetting) else ClaimSetting(setting),
    )


# the hook Strawberry's type definitions offer integrations that build their own inputs
ClaimLineInput.__strawberry_definition__.from_input = _line_from_input  # type: ignore[attr-defined]  # set by @strawberry.input
