"""CCSES, the Connecticut Child Support Enforcement System: the sibling system beside EMS on the
same database (DESIGN.md section 7). Its own support case root and segments
(`emsterm.model.support`), its own services (`cases`: what a referral does to a support case;
`inquiry`: the case as operators see it) and its own stream (`batch/ccses.toml`, whose step
programs are modules here: `receive_referrals`).

CCSES learns of EMS only from the referral file (`emsterm.interfaces.ccses_referral`) and never
reads EMS's tables; EMS never imports this package (tests/test_layers.py).
"""
