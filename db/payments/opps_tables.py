"""What the OPPS payment status indicators mean: the SI column of Addendum B.

Addendum B carries the indicator only; its meaning is in Addendum D1 ("Payment Status
Indicators") of the same year's OPPS final rule: CY 2019 (CMS-1695-FC, 83 FR 58818) and
CY 2020 (CMS-1717-FC, 84 FR 61142). These are CMS's standard definitions written out from
those addenda (D1's "Item/Code/Service" column, then, after a colon, how the OPPS pays),
not a copy of CMS's file; compare with Addendum D1 when in doubt. Both years define the
indicators found in the January 2019 and January 2020 Addendum B the same way (D, for
discontinued codes, is in D1 but never in Addendum B).
"""

from __future__ import annotations

_COMMON = {
    "A": "Services furnished to a hospital outpatient that are paid under a fee schedule or "
    "payment system other than the OPPS, e.g. ambulance services, separately payable "
    "clinical diagnostic laboratory services, separately payable non-implantable prosthetics "
    "and orthotics, physical, occupational and speech therapy: not paid under the OPPS; paid "
    "by MACs under a fee schedule or payment system other than the OPPS",
    "B": "Codes that are not recognized by the OPPS when submitted on an outpatient hospital "
    "Part B bill type (12x and 13x): not paid under the OPPS; an alternate code that is "
    "recognized may be available, or the code may be paid on another bill type",
    "C": "Inpatient procedures: not paid under the OPPS; admit the patient and bill as inpatient",
    "D": "Discontinued codes: not paid under the OPPS or any other Medicare payment system",
    "E1": "Items, codes and services not covered by any Medicare outpatient benefit category, "
    "statutorily excluded by Medicare, or not reasonable and necessary: not paid by Medicare "
    "when submitted on outpatient claims (any outpatient bill type)",
    "E2": "Items, codes and services for which pricing information and claims data are not "
    "available: not paid by Medicare when submitted on outpatient claims (any outpatient bill "
    "type)",
    "F": "Corneal tissue acquisition; certain CRNA services and hepatitis B vaccines: not paid "
    "under the OPPS; paid at reasonable cost",
    "G": "Pass-through drugs and biologicals: paid under the OPPS; separate APC payment",
    "H": "Pass-through device categories: separate cost-based pass-through payment; not "
    "subject to copayment",
    "J1": "Hospital Part B services paid through a comprehensive APC: paid under the OPPS; all "
    "covered Part B services on the claim are packaged with the primary J1 service, except "
    "services with OPPS status indicator F, G, H, L and U, ambulance services, diagnostic and "
    "screening mammography, rehabilitation therapy services, brachytherapy seeds, pass-through "
    "drugs and devices, and certain preventive services",
    "J2": "Hospital Part B services that may be paid through a comprehensive APC: paid under "
    "the OPPS; a claim that meets its criteria (e.g. comprehensive observation services) is "
    "paid through a comprehensive APC, otherwise the service is paid through a separate APC "
    "or packaged",
    "K": "Nonpass-through drugs and nonimplantable biologicals, including therapeutic "
    "radiopharmaceuticals: paid under the OPPS; separate APC payment",
    "L": "Influenza vaccine; pneumococcal pneumonia vaccine: not paid under the OPPS; paid at "
    "reasonable cost; not subject to deductible or coinsurance",
    "M": "Items and services not billable to the MAC: not paid under the OPPS",
    "N": "Items and services packaged into APC rates: paid under the OPPS; payment is packaged "
    "into payment for other services, so there is no separate APC payment",
    "P": "Partial hospitalization: paid under the OPPS; per diem APC payment",
    "Q1": "STV-packaged codes: paid under the OPPS; packaged when billed on the same claim as "
    "a code with status indicator S, T or V, otherwise paid through a separate APC",
    "Q2": "T-packaged codes: paid under the OPPS; packaged when billed on the same claim as a "
    "code with status indicator T, otherwise paid through a separate APC",
    "Q3": "Codes that may be paid through a composite APC: paid under the OPPS; composite APC "
    "payment when the composite's criteria are met, otherwise packaged or paid through a "
    "separate APC",
    "Q4": "Conditionally packaged laboratory tests: paid under the OPPS or the clinical "
    "laboratory fee schedule; packaged when billed with a code of status indicator J1, J2, "
    "S, T, V, Q1, Q2 or Q3, otherwise paid under the clinical laboratory fee schedule",
    "R": "Blood and blood products: paid under the OPPS; separate APC payment",
    "S": "Procedure or service, not discounted when multiple: paid under the OPPS; separate "
    "APC payment",
    "T": "Procedure or service, multiple procedure reduction applies: paid under the OPPS; "
    "separate APC payment",
    "U": "Brachytherapy sources: paid under the OPPS; separate APC payment",
    "V": "Clinic or emergency department visit: paid under the OPPS; separate APC payment",
    "Y": "Non-implantable durable medical equipment: not paid under the OPPS; all "
    "institutional providers other than home health agencies bill the DME MAC",
}

# OPPS calendar year -> indicator -> meaning. A release of the opps schedule reads the
# table of its effective year, else the latest year written here.
STATUS_INDICATORS: dict[int, dict[str, str]] = {2019: _COMMON, 2020: _COMMON}


def status_indicators(year: int) -> dict[str, str]:
    """The indicators of the OPPS year (the latest transcribed for a later year)."""
    known = [y for y in STATUS_INDICATORS if y <= year] or [min(STATUS_INDICATORS)]
    return STATUS_INDICATORS[max(known)]
