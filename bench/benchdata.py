"""Shared vocabulary of the benchmark generators (gen-maillog, gen-mbox).

Everything here is deterministic: callers pass a random.Random seeded by --seed. The replies are
written from the public wording of MTAs and mailbox providers (how their rejections read), with
placeholders filled per use: {rcpt} recipient, {domain} recipient domain, {ip} sending IP,
{mx} receiving host, {sender_domain} our domain, {id} a provider tracking id.
"""

# (basic code, enhanced code, text, weight). A basic code of 0 means the reply carries no SMTP
# code (a local or DNS failure); Postfix then logs only dsn=.
FAILURE_REPLIES = [
    # Bad addresses.
    (550, "5.1.1", "<{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table", 8),
    (550, "5.1.1", "<{rcpt}>: Recipient address rejected: User unknown in local recipient table", 4),
    (550, "5.1.1", "The email account that you tried to reach does not exist. Please try "
     "double-checking the recipient's email address for typos or unnecessary spaces. Learn more at "
     "https://support.google.com/mail/?p=NoSuchUser {id} - gsmtp", 8),
    (550, "5.5.0", "Requested action not taken: mailbox unavailable (S2017062302). "
     "[{id}.eurprd04.prod.outlook.com]", 4),
    (550, "5.4.1", "Recipient address rejected: Access denied. AS(201806281) "
     "[{id}.namprd02.prod.outlook.com]", 3),
    (554, "", "delivery error: dd This user doesn't have a yahoo.com account ({rcpt}) [0] - "
     "mta1{id}.mail.gq1.yahoo.com", 3),
    (550, "5.1.1", "<{rcpt}>: user does not exist", 2),
    (550, "", "Requested action not taken: mailbox unavailable", 2),
    (550, "5.1.1", "User unknown; rejecting", 2),
    (511, "", "sorry, no mailbox here by that name. (#5.1.1)", 1),
    (550, "", "Message was not accepted -- invalid mailbox.  Local mailbox {rcpt} is unavailable: "
     "account is disabled", 1),
    (0, "5.4.4", "Host or domain name not found. Name service error for name={domain} type=MX: "
     "Host not found, try again", 2),
    (550, "5.1.10", "RESOLVER.ADR.RecipientNotFound; Recipient {rcpt} not found by SMTP address "
     "lookup", 2),
    # Full mailboxes.
    (552, "5.2.2", "The email account that you tried to reach is over quota and inactive. Please "
     "direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm {id} - gsmtp", 3),
    (452, "4.2.2", "The email account that you tried to reach is over quota. Please direct the "
     "recipient to https://support.google.com/mail/?p=OverQuotaTemp {id} - gsmtp", 3),
    (552, "5.2.2", "<{rcpt}>: Mailbox full", 2),
    (452, "4.2.2", "Quota exceeded (mailbox for user is full)", 2),
    (552, "", "1 Requested mail action aborted, mailbox full", 1),
    # Authentication and policy.
    (550, "5.7.26", "Unauthenticated email from {sender_domain} is not accepted due to domain's "
     "DMARC policy. Please contact the administrator of {sender_domain} domain if this was a "
     "legitimate mail. To learn about the DMARC initiative, go to "
     "https://support.google.com/mail/?p=DmarcRejection {id} - gsmtp", 4),
    (550, "5.7.1", "Email rejected per DMARC policy for {sender_domain}", 1),
    (554, "5.7.9", "Message not accepted for policy reasons.  See "
     "https://postmaster.yahooinc.com/error-codes", 2),
    (550, "5.7.1", "Our system has detected that this message is likely unsolicited mail. To "
     "reduce the amount of spam sent to Gmail, this message has been blocked. For more "
     "information, go to https://support.google.com/mail/?p=UnsolicitedMessageError {id} - gsmtp", 3),
    (554, "5.7.1", "[P4] Message blocked due to spam content in the message.", 1),
    (550, "5.7.1", "Message rejected as spam by Content Filtering.", 1),
    (554, "5.7.1", "<{rcpt}>: Relay access denied", 2),
    (552, "5.3.4", "Message size exceeds fixed maximum message size", 2),
    (550, "5.7.606", "Access denied, banned sending IP [{ip}]. To request removal from this list "
     "please visit https://sender.office.com/ and follow the directions. For more information "
     "please go to  http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430) "
     "[{id}.eurprd07.prod.outlook.com]", 2),
    (550, "5.7.1", "Unfortunately, messages from [{ip}] weren't sent. Please contact your "
     "Internet service provider since part of their network is on our block list (S3150). You "
     "can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. "
     "[{id}.eurprd03.prod.outlook.com]", 2),
    (550, "5.7.25", "The IP address sending this message does not have a PTR record setup, or "
     "the corresponding forward DNS entry does not point to the sending IP. As a policy, Gmail "
     "does not accept messages from IPs with missing PTR records. {id} - gsmtp", 1),
    # Blocklists.
    (554, "5.7.1", "Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; "
     "https://www.spamhaus.org/query/ip/{ip}", 4),
    (550, "5.7.1", "Service unavailable; client host [{ip}] blocked using sbl.spamhaus.org", 1),
    (554, "", "Service unavailable; Client host [{ip}] blocked using Barracuda Reputation; "
     "http://www.barracudanetworks.com/reputation/?pr=1&ip={ip}", 3),
    (550, "", "Rejected: {ip} listed at bl.spamcop.net", 1),
    (554, "5.7.1", "Rejected because {ip} is in a black list at b.barracudacentral.org", 1),
    # Greylisting, rate limits, temporary trouble.
    (450, "4.2.0", "<{rcpt}>: Recipient address rejected: Greylisted, see "
     "http://postgrey.schweikert.ch/help/{domain}.html", 4),
    (451, "4.7.1", "Greylisting in action, please come back later", 2),
    (450, "4.7.1", "Client host rejected: try again later", 1),
    (421, "4.7.0", "[TSS04] Messages from {ip} temporarily deferred due to unexpected volume or "
     "user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", 4),
    (421, "4.7.28", "Gmail has detected an unusual rate of unsolicited mail originating from your "
     "IP address. To protect our users from spam, mail sent from your IP address has been "
     "temporarily rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError "
     "to review our Bulk Email Senders Guidelines. {id} - gsmtp", 3),
    (451, "4.7.500", "Server busy. Please try again later from [{ip}]. (S77714) "
     "[{id}.namprd11.prod.outlook.com]", 2),
    (421, "4.7.0", "Too many connections from your IP, try again later", 2),
    (450, "4.7.1", "<{rcpt}>: Recipient address rejected: too many messages in a short time", 1),
    (451, "4.3.0", "Temporary local problem - please try later", 1),
    # Not English (and not ASCII in some).
    (550, "5.1.1", "<{rcpt}>: Empfaengeradresse abgelehnt: Benutzer unbekannt", 1),
    (550, "5.1.1", "Adresse d'au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", 1),
    (550, "5.1.1", "El usuario no existe en este dominio", 1),
    (552, "5.2.2", "Postfach voll - Mailbox ist überfüllt", 1),
    (550, "5.1.1", "宛先のメールアドレスは存在しません (user unknown)", 1),
    (550, "", "Пользователь не найден / user not found", 1),
    (450, "4.2.1", "Casella di posta temporaneamente non disponibile, riprovare più tardi", 1),
]

# Postfix failures that carry no remote reply: (dsn, status, text, weight).
POSTFIX_LOCAL_FAILURES = [
    ("4.4.1", "deferred", "connect to {mx}[{ip}]:25: Connection timed out", 3),
    ("4.4.1", "deferred", "connect to {mx}[{ip}]:25: Connection refused", 2),
    ("4.4.2", "deferred", "lost connection with {mx}[{ip}] while receiving the initial server "
     "greeting", 1),
    ("4.4.3", "deferred", "Host or domain name not found. Name service error for name={domain} "
     "type=MX: Host not found, try again", 1),
]

PROVIDER_HOSTS = [
    ("gmail.com", "gmail-smtp-in.l.google.com"),
    ("googlemail.com", "alt1.gmail-smtp-in.l.google.com"),
    ("outlook.com", "outlook-com.olc.protection.outlook.com"),
    ("hotmail.com", "hotmail-com.olc.protection.outlook.com"),
    ("contoso.onmicrosoft.com", "contoso-com.mail.protection.outlook.com"),
    ("yahoo.com", "mta7.am0.yahoodns.net"),
    ("aol.com", "mx-aol.mail.gm0.yahoodns.net"),
    ("icloud.com", "mx01.mail.icloud.com"),
    ("gmx.de", "mx00.emig.gmx.net"),
    ("orange.fr", "smtp-in.orange.fr"),
    ("mail.ru", "mxs.mail.ru"),
    ("example.com", "mx.example.com"),
    ("example.net", "mail.example.net"),
    ("example.org", "mx1.example.org"),
    ("corp.example", "barracuda.corp.example"),
]

FIRST = ["john", "mary", "li.wei", "ana", "olivier", "k.schmidt", "sales", "info", "noreply",
         "m.rossi", "yuki", "priya", "ahmed", "support", "billing", "jo", "team", "chen"]
SENDER_DOMAINS = ["shop.example", "news.example", "app.example", "billing.example"]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


def weighted(pairs_with_weight):
    """Expands (..., weight) tuples into a flat list for rng.choice (deterministic order)."""
    out = []
    for item in pairs_with_weight:
        out.extend([item[:-1]] * item[-1])
    return out


def recipient(rng):
    domain, mx = rng.choice(PROVIDER_HOSTS)
    return f"{rng.choice(FIRST)}{rng.randrange(1000)}@{domain}", domain, mx


# Provider-specific wordings go to that provider's hosts (a Gmail reply comes from Google).
_PROVIDER_MARKERS = [("gsmtp", ("gmail.com", "googlemail.com")),
                     ("outlook.com]", ("outlook.com", "hotmail.com", "contoso.onmicrosoft.com")),
                     ("yahoo", ("yahoo.com", "aol.com"))]


def recipient_for(rng, text):
    for marker, domains in _PROVIDER_MARKERS:
        if marker in text:
            domain = rng.choice(domains)
            mx = dict(PROVIDER_HOSTS)[domain]
            return f"{rng.choice(FIRST)}{rng.randrange(1000)}@{domain}", domain, mx
    return recipient(rng)


def ip(rng):
    return f"{rng.choice((192, 198, 203, 185, 91))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def token(rng, n, alphabet=LETTERS):
    return "".join(rng.choice(alphabet) for _ in range(n))


def fill(text, rng, rcpt, domain, mx, addr):
    return text.format(rcpt=rcpt, domain=domain, mx=mx, ip=addr,
                       sender_domain=rng.choice(SENDER_DOMAINS), id=token(rng, 10, LOWER))


def reply_string(basic, enhanced, text, multiline=False):
    """The reply as the remote server sent it; multi-line replies joined the way Postfix logs
    them (each line keeps its "550-5.1.1 " prefix)."""
    if basic == 0:
        return text
    if not multiline:
        return " ".join(p for p in (str(basic), enhanced, text) if p)
    words = text.split(" ")
    third = max(1, len(words) // 3)
    chunks = [" ".join(words[:third]), " ".join(words[third:2 * third]), " ".join(words[2 * third:])]
    parts = []
    for i, chunk in enumerate(chunks):
        sep = " " if i == len(chunks) - 1 else "-"
        parts.append(f"{basic}{sep}{enhanced + ' ' if enhanced else ''}{chunk}")
    return " ".join(parts)
