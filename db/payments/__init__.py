"""CMS's Medicare payment files, keyed by HCPCS code: each load is a dated release of its
schedule (db/payments/load.py), read by kind (asp, ndc, dmepos) and served by
db/payments/queries.py."""
