"""cchc: reproducible administrative-reform (CCHC) reports for Vietnamese local governments."""

__version__ = "0.1.0"
