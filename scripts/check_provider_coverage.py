#!/usr/bin/env python3
"""Check that the rule table classifies every provider rejection of provider-codes.tsv.

For each row of the reference table the script builds a realistic reply (basic code, enhanced
code, and a text containing the row's fragment inside the provider's usual wrapper), feeds all
replies to `BIN --format json` (one reply per line on stdin) and reports rows whose result names
the wrong provider or a cause that disagrees with the table.

Usage: scripts/check_provider_coverage.py --bin build/bouncediag [--table provider-codes.tsv]
                                          [--show-ok] [--all]
By default rows of MTA software (Postfix, Exim, Sendmail, qmail, greylisting daemons) and of
"Various receivers" are checked for their cause only, since no provider is named for them.
"""

import argparse
import csv
import json
import re
import subprocess
import sys

DEFAULT_TABLE = "/work/shared/reference/provider-codes.tsv"

# Table provider -> provider names a result may carry (case-insensitive prefix match).
# None: the row is generic MTA / receiver wording, only its cause is checked.
EXPECTED_PROVIDER = {
    "Google Gmail/Workspace": ["Google"],
    "Microsoft 365/Exchange Online": ["Microsoft", "Outlook.com"],
    "Outlook.com/Hotmail (consumer)": ["Microsoft", "Outlook.com"],
    "Microsoft Exchange Server (on-premises)": ["Microsoft"],
    "Yahoo/AOL": ["Yahoo", "AOL"],
    "Apple iCloud Mail": ["Apple"],
    "Comcast/Xfinity": ["Comcast"],
    "Cox": ["Cox"],
    "Spectrum/Charter": ["Spectrum"],
    "AT&T (att.net legacy)": ["AT&T"],
    "EarthLink": ["EarthLink"],
    "GMX/Web.de/1&1 (United Internet)": ["GMX", "United Internet", "Web.de"],
    "Orange/Wanadoo/La Poste": ["Orange"],
    "SFR": ["SFR"],
    "Free.fr": ["Free"],
    "T-Online (Telekom)": ["T-Online", "Deutsche Telekom"],
    "Virgin Media/Blueyonder": ["Virgin Media"],
    "WP.pl": ["WP.pl"],
    "isep.fr": None,
    "Mail.ru": ["Mail.ru"],
    "Yandex": ["Yandex"],
    "Tencent QQ Mail": ["Tencent"],
    "i.ua (Ukraine)": ["i.ua"],
    "58.com": ["58.com"],
    "Facebook (legacy inbound)": ["Facebook"],
    "GoDaddy (secureserver.net)": ["GoDaddy"],
    "Zoho Mail": ["Zoho"],
    "Zoho ZeptoMail": ["Zoho"],
    "Fastmail": ["Fastmail"],
    "DuckDuckGo Email (duck.com)": ["DuckDuckGo"],
    "forwardemail.net": ["Forward Email"],
    "SendGrid (ESP suppression)": ["SendGrid"],
    "SendGrid (ESP)": ["SendGrid"],
    "Amazon SES": ["Amazon SES"],
    "Mimecast": ["Mimecast"],
    "Proofpoint": ["Proofpoint"],
    "Barracuda": ["Barracuda"],
    "Cisco Secure Email (IronPort)": ["Cisco"],
    "Trend Micro (ERS)": ["Trend Micro"],
    "Symantec/Broadcom Email Security.cloud (MessageLabs)": ["Symantec", "Broadcom"],
    "Trustwave/MailMarshal": ["Trustwave"],
    "McAfee/MxLogic": ["McAfee"],
    "SonicWall": ["SonicWall"],
    "MDaemon": ["MDaemon"],
    "SpamAssassin-based filters": None,
    "Invaluement (via receivers)": None,
    "CBL/Spamhaus XBL (via receivers)": None,
    "Various receivers": None,
    "Postfix (default text)": None,
    "Postgrey (Postfix policy)": None,
    "milter-greylist": None,
    "Exim (default text)": None,
    "Sendmail (default text)": None,
    "qmail": None,
}

# Rows for which a provider is expected, but whose wording belongs to the generic half.
GENERIC_OWNERS = ("Postfix", "Postgrey", "milter-greylist", "Exim", "Sendmail", "qmail",
                  "Various receivers", "SpamAssassin", "isep.fr")

# Rows where the rule table disagrees with the reference table on purpose: (provider prefix,
# fragment) -> why. Reported as DIS, not BAD.
DELIBERATE = {
    ("Microsoft Exchange Server", "HELO / EHLO requires domain address"):
        "the text says the client's HELO lacked a domain: a protocol error, not authentication",
    ("Microsoft Exchange Server", "Invalid domain name"):
        "Exchange also sends 501 5.5.4 for a bad HELO or sender domain: a protocol error, not a dead address",
    ("Microsoft Exchange Server", "User unknown"):
        "generic wording used by many MTAs; classified by the generic rules without a provider",
    ("Microsoft Exchange Server", "Mailbox full"):
        "generic wording used by many MTAs; classified by the generic rules without a provider",
    ("Fastmail", "User unknown in virtual mailbox table"):
        "Postfix's default text (Fastmail runs Postfix); the Postfix rule names Postfix",
    ("58.com", "Mailbox unavailable or access denied"):
        "generic wording with no 58.com marker; left to the generic rules",
}


def deliberate(row, result):
    """Returns why a disagreement is intended, or None."""
    for (prov, frag), why in DELIBERATE.items():
        if row["provider"].startswith(prov) and row["text_fragment"] == frag:
            return why
    if (row["cause"] == "bad-address" and result.get("reason") == "suspend"
            and result.get("cause") == "mailbox"):
        return ("disabled/suspended account: sisimai's 'suspend' keeps the address, so the cause is "
                "mailbox and the action contact-recipient, not suppress")
    return None


# Text around the fragment, per provider: what that provider's replies usually carry
# (Gmail ends every reply with "- gsmtp", Exchange Online names its front-end host, ...).
WRAP = {
    "Google Gmail/Workspace": ("", " Learn more at https://support.google.com/mail/answer/81126 "
                               "d2e1a72fcca58-7a1f3c9e5b2si123456b3a.42 - gsmtp"),
    "Microsoft 365/Exchange Online": ("", " [BN8NAM11FT034.eop-nam11.prod.protection.outlook.com "
                                      "2026-01-12T10:11:12.345Z 08DE2B1C4A5F6E7D]"),
    "Outlook.com/Hotmail (consumer)": ("(BAY004-MC5F12) ", " Please contact your Internet service "
                                       "provider since part of their network is affected."),
    "Microsoft Exchange Server (on-premises)": ("", ""),
    "Yahoo/AOL": ("", " - mta4012.mail.gq1.yahoo.com"),
    "Apple iCloud Mail": ("", " (in reply to RCPT TO command) mx01.mail.icloud.com"),
    "Comcast/Xfinity": ("resimta-po-12v.sys.comcast.net comcast 192.0.2.10 ",
                        " For more information please visit http://postmaster.comcast.net/"),
    "Cox": ("cox.net ", ""),
    "Spectrum/Charter": ("sender rejected. Please see https://www.spectrum.net/support/internet/"
                         "understanding-email-error-codes for more information. ", ""),
    "GMX/Web.de/1&1 (United Internet)": ("gmx.net (mxgmx114) ", " For explanation visit "
                                         "https://postmaster.gmx.net/en/case?c=r0301&i=ip&v=192.0.2.9"),
    "Orange/Wanadoo/La Poste": ("mwinf5c12 ME ", ""),
    "Facebook (legacy inbound)": ("", " https://www.facebook.com/postmaster/response_codes"),
    "GoDaddy (secureserver.net)": ("", " <https://www.secureserver.net/email-error-codes>"),
    "Tencent QQ Mail": ("", " http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022"),
    "Mimecast": ("", " - https://community.mimecast.com/docs/DOC-1369#550 [AbCdEf1234.us42]"),
    "Trend Micro (ERS)": ("", ""),
    "Mail.ru": ("", " (mxs.mail.ru)"),
    "Yandex": ("", " (mx.yandex.ru)"),
    "Zoho Mail": ("", " - mx.zoho.com"),
    "Zoho ZeptoMail": ("", " - smtp.zeptomail.com"),
    "Fastmail": ("", " (mx.messagingengine.com)"),
    "DuckDuckGo Email (duck.com)": ("", " - inbound.duck.com"),
}

# Fragments that are only a code suffix get the provider's code prefix.
def _expand_fragment(provider, frag):
    if provider.startswith("Spectrum") and frag.startswith("AUP#*"):
        number = re.match(r"AUP#\*(\d{4})", frag).group(1)
        return "AUP#In-" + number
    if provider.startswith("Orange") and re.fullmatch(r"_\d{3}", frag):
        return "Service refused. OFR004" + frag + " [" + frag[1:] + "]"
    if provider.startswith("i.ua"):
        return "see http://mail" + frag
    return frag.replace("*", " ")


def build_reply(row):
    """Returns a realistic reply line for one provider-codes.tsv row."""
    provider = row["provider"]
    hard = row["hard_or_soft"] == "hard"
    basic = row["basic"].strip()
    enhanced = row["enhanced"].strip()
    if "-" in enhanced:  # a range such as 4.7.500-4.7.699: take its first code
        enhanced = enhanced.split("-")[0]
    if not basic:
        if enhanced:
            basic = {"5": "550", "4": "451"}.get(enhanced[0], "550")
        else:
            basic = "550" if hard else "451"
    frag = _expand_fragment(provider, row["text_fragment"].strip())
    prefix, suffix = WRAP.get(provider, ("", ""))
    parts = [basic]
    if enhanced:
        parts.append(enhanced)
    parts.append(prefix + frag + suffix)
    return " ".join(p for p in parts if p).strip()


def load_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def run_bin(binary, replies):
    proc = subprocess.run([binary, "--format", "json", "--input", "lines", "-q"], input="\n".join(replies) + "\n",
                          capture_output=True, text=True)
    out = proc.stdout.strip()
    if not out:
        sys.exit(f"check_provider_coverage: {binary} printed nothing (status {proc.returncode}): "
                 f"{proc.stderr.strip()}")
    if out.startswith("["):
        results = json.loads(out)
    else:
        results = [json.loads(line) for line in out.splitlines() if line.strip()]
    if len(results) != len(replies):
        sys.exit(f"check_provider_coverage: {len(replies)} replies but {len(results)} results")
    return results


def provider_ok(row, result):
    expected = EXPECTED_PROVIDER.get(row["provider"], [row["provider"].split()[0]])
    if expected is None:
        return True
    if row["cause"] == "blocklist" and result.get("blocklist"):
        return True  # a receiver quoting a blocklist is explained by the blocklist rule
    got = (result.get("provider") or "").lower()
    return any(got.startswith(e.lower()) for e in expected)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="path to the bouncediag binary")
    ap.add_argument("--table", default=DEFAULT_TABLE)
    ap.add_argument("--show-ok", action="store_true", help="also list rows that pass")
    ap.add_argument("--print-replies", action="store_true",
                    help="only print the built replies, one per line")
    ap.add_argument("--mine", action="store_true",
                    help="skip rows whose wording belongs to generic MTA / receiver rules")
    args = ap.parse_args()

    rows = load_rows(args.table)
    if args.mine:
        rows = [r for r in rows if not r["provider"].startswith(GENERIC_OWNERS)]
    replies = [build_reply(r) for r in rows]
    if args.print_replies:
        print("\n".join(replies))
        return 0
    results = run_bin(args.bin, replies)

    bad = 0
    intended = 0
    per_provider = {}
    for row, reply, res in zip(rows, replies, results):
        p_ok = provider_ok(row, res)
        c_ok = (res.get("cause") == row["cause"])
        ok = p_ok and c_ok
        why = None if ok else deliberate(row, res)
        stats = per_provider.setdefault(row["provider"], [0, 0])
        stats[1] += 1
        if ok or why:
            stats[0] += 1
        if not ok or args.show_ok:
            bad += not ok and not why
            intended += bool(why)
            what = []
            if not p_ok:
                what.append(f"provider {res.get('provider')!r}")
            if not c_ok:
                what.append(f"cause {res.get('cause')!r} (table {row['cause']!r})")
            label = "OK " if ok else ("DIS" if why else "BAD")
            print(f"{label} {row['provider']}: {reply}")
            if not ok:
                print(f"    -> {', '.join(what)}; rule {res.get('rule')!r}")
            if why:
                print(f"    (deliberate: {why})")
    print()
    for prov, (good, total) in sorted(per_provider.items()):
        print(f"{good:4d}/{total:<4d} {prov}")
    covered = len(rows) - bad - intended
    print(f"\nrows covered: {covered}/{len(rows)}, deliberate disagreements: {intended}, "
          f"failures: {bad}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
