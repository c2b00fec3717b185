"""The CCSES screens of menu 9: referral inquiry (CS01), support case summary (CS02),
participants (CS03), paternity (CS05), support orders (CS06) and enforcement actions (CS10).
Thin handlers over the CCSES services (`emsterm.ccses`); the support case a screen is about comes from
`emsterm.screens.kit.support`."""
