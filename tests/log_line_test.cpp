// Log-line extraction: one real-shaped line per format and variant, and lines that must give
// nothing (deliveries, arrivals, connections).
#include "bouncediag/log_line.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bouncediag {
namespace {

struct FailureCase {
    const char* name;
    const char* line;
    const char* format;
    const char* recipient;
    const char* reply;
    const char* status;
    const char* queue_id;
    const char* timestamp;
    const char* relay;
    const char* kind;
};

const FailureCase k_failures[] = {
    // --- Postfix -------------------------------------------------------------------------
    {"postfix_smtp_bounced",
     "Jan 15 10:23:45 mx1 postfix/smtp[12345]: 4BQ2Xk1XyzZ: to=<john@example.com>, "
     "relay=mx.example.com[203.0.113.5]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, "
     "status=bounced (host mx.example.com[203.0.113.5] said: 550 5.1.1 <john@example.com>: "
     "Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO "
     "command))",
     "postfix", "john@example.com",
     "host mx.example.com[203.0.113.5] said: 550 5.1.1 <john@example.com>: Recipient address "
     "rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
     "5.1.1", "4BQ2Xk1XyzZ", "Jan 15 10:23:45", "mx.example.com", "bounce"},
    {"postfix_smtp_deferred_connect",
     "Feb  3 04:05:06 mx1 postfix/smtp[999]: 3F2A11C0D4: to=<ann@example.net>, "
     "orig_to=<ann@old.example.net>, relay=none, delay=30, delays=0.01/0/30/0, dsn=4.4.1, "
     "status=deferred (connect to mx.example.net[198.51.100.7]:25: Connection timed out)",
     "postfix", "ann@example.net",
     "connect to mx.example.net[198.51.100.7]:25: Connection timed out", "4.4.1", "3F2A11C0D4",
     "Feb  3 04:05:06", "", "deferral"},
    {"postfix_rfc3339_gmail",
     "2024-03-01T08:00:01.123456+00:00 out1 postfix/smtp[2211]: 4TqLx05vKgz9sQ: "
     "to=<bob@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.27.26]:25, delay=0.9, "
     "delays=0.1/0/0.3/0.5, dsn=5.7.26, status=bounced (host "
     "gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.7.26 Unauthenticated email from "
     "example.org is not accepted due to domain's 550-5.7.26 DMARC policy. 550 5.7.26 Please "
     "contact the administrator (in reply to end of DATA command))",
     "postfix", "bob@gmail.com",
     "host gmail-smtp-in.l.google.com[142.250.27.26] said: 550-5.7.26 Unauthenticated email "
     "from example.org is not accepted due to domain's 550-5.7.26 DMARC policy. 550 5.7.26 "
     "Please contact the administrator (in reply to end of DATA command)",
     "5.7.26", "4TqLx05vKgz9sQ", "2024-03-01T08:00:01.123456+00:00", "gmail-smtp-in.l.google.com",
     "bounce"},
    {"postfix_local_unknown_user",
     "Jan 15 10:23:45 mx1 postfix/local[3344]: 9A1B2C3D4E: to=<nobody@mx1.example.com>, "
     "relay=local, delay=0.02, delays=0.01/0/0/0.01, dsn=5.1.1, status=bounced (unknown user: "
     "\"nobody\")",
     "postfix", "nobody@mx1.example.com", "unknown user: \"nobody\"", "5.1.1", "9A1B2C3D4E",
     "Jan 15 10:23:45", "local", "bounce"},
    {"postfix_lmtp_mailbox_full",
     "Jan 15 10:23:45 mx1 postfix/lmtp[4455]: 7C8D9E0F1A: to=<full@example.com>, "
     "relay=mail.example.com[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=5.2.2, "
     "status=bounced (host mail.example.com[private/dovecot-lmtp] said: 552 5.2.2 "
     "<full@example.com> "
     "Quota exceeded (mailbox for user is full) (in reply to end of DATA command))",
     "postfix", "full@example.com",
     "host mail.example.com[private/dovecot-lmtp] said: 552 5.2.2 <full@example.com> Quota "
     "exceeded (mailbox for user is full) (in reply to end of DATA command)",
     "5.2.2", "7C8D9E0F1A", "Jan 15 10:23:45", "mail.example.com", "bounce"},
    {"postfix_virtual",
     "Jan 15 10:23:45 mx1 postfix/virtual[77]: 1D2E3F4A5B: to=<over@example.com>, relay=virtual, "
     "delay=0.1, delays=0/0/0/0.1, dsn=5.2.2, status=bounced (cannot update mailbox "
     "/var/mail/vhosts/example.com/over for user over. file size limit exceeded)",
     "postfix", "over@example.com",
     "cannot update mailbox /var/mail/vhosts/example.com/over for user over. file size limit "
     "exceeded",
     "5.2.2", "1D2E3F4A5B", "Jan 15 10:23:45", "virtual", "bounce"},
    {"postfix_error_suspended",
     "Jan 15 10:23:45 mx1 postfix/error[88]: 2E3F4A5B6C: to=<x@example.org>, relay=none, "
     "delay=3600, delays=3600/0.01/0/0, dsn=4.4.1, status=deferred (delivery temporarily "
     "suspended: connect to mx.example.org[192.0.2.8]:25: Connection refused)",
     "postfix", "x@example.org",
     "delivery temporarily suspended: connect to mx.example.org[192.0.2.8]:25: Connection "
     "refused",
     "4.4.1", "2E3F4A5B6C", "Jan 15 10:23:45", "", "deferral"},
    {"postfix_qmgr_expired",
     "Jan 20 10:23:45 mx1 postfix/qmgr[1200]: 2E3F4A5B6C: from=<news@example.com>, "
     "status=expired, returned to sender",
     "postfix", "", "expired, returned to sender", "expired", "2E3F4A5B6C", "Jan 20 10:23:45", "",
     "bounce"},
    {"postfix_verify_undeliverable",
     "Jan 15 10:23:45 mx1 postfix/smtp[13]: 5F6A7B8C9D: to=<check@example.com>, "
     "relay=mx.example.com[203.0.113.5]:25, delay=0.5, delays=0/0/0.2/0.3, dsn=5.1.1, "
     "status=undeliverable (host mx.example.com[203.0.113.5] said: 550 5.1.1 No such user (in "
     "reply to RCPT TO command))",
     "postfix", "check@example.com",
     "host mx.example.com[203.0.113.5] said: 550 5.1.1 No such user (in reply to RCPT TO "
     "command)",
     "5.1.1", "5F6A7B8C9D", "Jan 15 10:23:45", "mx.example.com", "bounce"},
    {"postfix_instance_syslog_name",
     "Jan 15 10:23:45 mx1 postfix-out/smtp[1]: 6A7B8C9D0E: to=<a@example.com>, "
     "relay=mx.example.com[203.0.113.5]:25, delay=1, delays=0/0/0/1, dsn=4.7.1, status=deferred "
     "(host mx.example.com[203.0.113.5] said: 451 4.7.1 Greylisted, try again later (in reply to "
     "RCPT TO command))",
     "postfix", "a@example.com",
     "host mx.example.com[203.0.113.5] said: 451 4.7.1 Greylisted, try again later (in reply to "
     "RCPT TO command)",
     "4.7.1", "6A7B8C9D0E", "Jan 15 10:23:45", "mx.example.com", "deferral"},
    {"postfix_cleanup_header_reject",
     "Jan 15 10:23:45 mx1 postfix/cleanup[555]: 8B9C0D1E2F: reject: header Subject: Cheap "
     "pills from localhost[127.0.0.1]; from=<app@example.com> to=<user@example.net> "
     "proto=ESMTP helo=<web1>: 5.7.1 Message content rejected",
     "postfix", "user@example.net", "5.7.1 Message content rejected", "reject", "8B9C0D1E2F",
     "Jan 15 10:23:45", "", "bounce"},
    {"postfix_cleanup_milter_reject",
     "Jan 15 10:23:45 mx1 postfix/cleanup[555]: 9C0D1E2F3A: milter-reject: END-OF-MESSAGE from "
     "web1[192.0.2.50]: 5.7.1 Rejected by virus scanner; from=<app@example.com> "
     "to=<user@example.net> proto=ESMTP helo=<web1>",
     "postfix", "user@example.net", "5.7.1 Rejected by virus scanner", "reject", "9C0D1E2F3A",
     "Jan 15 10:23:45", "", "bounce"},
    // --- Exim ----------------------------------------------------------------------------
    {"exim_rcpt_rejected",
     "2024-01-15 10:23:45 1rPqXY-0001Ab-Cd ** john@example.com R=dnslookup T=remote_smtp "
     "H=mx.example.com [203.0.113.5] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error "
     "from remote mail server after RCPT TO:<john@example.com>: 550 5.1.1 <john@example.com>: "
     "Recipient address rejected: User unknown",
     "exim", "john@example.com",
     "SMTP error from remote mail server after RCPT TO:<john@example.com>: 550 5.1.1 "
     "<john@example.com>: Recipient address rejected: User unknown",
     "**", "1rPqXY-0001Ab-Cd", "2024-01-15 10:23:45", "mx.example.com", "bounce"},
    {"exim_deferral_greylist",
     "2024-01-15 10:23:45.123 +0100 [4242] 1rPqXZ-0002Bc-De == ann@example.net R=dnslookup "
     "T=remote_smtp defer (-44) H=mx.example.net [198.51.100.7]: SMTP error from remote mail "
     "server after RCPT TO:<ann@example.net>: 451 4.7.1 Greylisted, please try again later",
     "exim", "ann@example.net",
     "SMTP error from remote mail server after RCPT TO:<ann@example.net>: 451 4.7.1 "
     "Greylisted, please try again later",
     "==", "1rPqXZ-0002Bc-De", "2024-01-15 10:23:45.123 +0100", "mx.example.net", "deferral"},
    {"exim_unrouteable",
     "2024-01-15 10:23:45 1rPqYA-0003Cd-Ef ** nobody@example.invalid: Unrouteable address", "exim",
     "nobody@example.invalid", "Unrouteable address", "**", "1rPqYA-0003Cd-Ef",
     "2024-01-15 10:23:45", "", "bounce"},
    {"exim_new_id_routing_defer",
     "2024-06-01 00:00:01 1sDfGh-000000012Ab-CdEf == x@example.org routing defer (-51): retry "
     "time not reached",
     "exim", "x@example.org", "retry time not reached", "==", "1sDfGh-000000012Ab-CdEf",
     "2024-06-01 00:00:01", "", "deferral"},
    {"exim_data_rejected_original_address",
     "2024-01-15 10:23:45 1rPqYB-0004De-Fg ** big@example.com <Big@Example.com> R=dnslookup "
     "T=remote_smtp H=mx2.example.com [203.0.113.9]: SMTP error from remote mail server after "
     "end of data: 552 5.3.4 Message size exceeds fixed limit",
     "exim", "big@example.com",
     "SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds "
     "fixed limit",
     "**", "1rPqYB-0004De-Fg", "2024-01-15 10:23:45", "mx2.example.com", "bounce"},
    {"exim_via_syslog",
     "Jan 15 10:23:45 mx1 exim[2345]: 1rPqYC-0005Ef-Gh ** c@example.com R=dnslookup "
     "T=remote_smtp H=mx.example.com [203.0.113.5]: SMTP error from remote mail server after "
     "RCPT TO:<c@example.com>: 550 5.7.1 Service unavailable; client host [192.0.2.1] blocked "
     "using zen.spamhaus.org",
     "exim", "c@example.com",
     "SMTP error from remote mail server after RCPT TO:<c@example.com>: 550 5.7.1 Service "
     "unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org",
     "**", "1rPqYC-0005Ef-Gh", "Jan 15 10:23:45", "mx.example.com", "bounce"},
    // --- Sendmail ------------------------------------------------------------------------
    {"sendmail_user_unknown",
     "Jan 15 10:23:45 mx1 sendmail[1234]: 0AFAbcde012345: to=<john@example.com>, "
     "ctladdr=<app@mx1.example.org> (1000/1000), delay=00:00:01, xdelay=00:00:01, "
     "mailer=esmtp, pri=120385, relay=mx.example.com. [203.0.113.5], dsn=5.1.1, stat=User "
     "unknown",
     "sendmail", "john@example.com", "User unknown", "5.1.1", "0AFAbcde012345", "Jan 15 10:23:45",
     "mx.example.com", "bounce"},
    {"sendmail_deferred_with_reply",
     "Jan 15 10:23:45 mx1 sm-mta[1234]: 0AFAbcde012346: to=ann@example.net, delay=00:00:05, "
     "xdelay=00:00:05, mailer=esmtp, pri=30000, relay=mx.example.net. [198.51.100.7], "
     "dsn=4.7.1, stat=Deferred: 451 4.7.1 Please try again later",
     "sendmail", "ann@example.net", "451 4.7.1 Please try again later", "4.7.1", "0AFAbcde012346",
     "Jan 15 10:23:45", "mx.example.net", "deferral"},
    {"sendmail_deferred_connection",
     "Jan 15 10:23:45 mx1 sendmail[1234]: 0AFAbcde012347: to=<x@example.org>, delay=00:01:00, "
     "xdelay=00:01:00, mailer=esmtp, pri=30000, relay=example.org., dsn=4.0.0, stat=Deferred: "
     "Connection refused by example.org.",
     "sendmail", "x@example.org", "Deferred: Connection refused by example.org.", "4.0.0",
     "0AFAbcde012347", "Jan 15 10:23:45", "example.org", "deferral"},
    // --- OpenSMTPD -----------------------------------------------------------------------
    {"opensmtpd_permfail",
     "Jan 15 10:23:45 mx1 smtpd[6789]: 2c1a6e8a4b5c6d7e mta delivery evpid=a1b2c3d4e5f60718 "
     "from=<app@example.org> to=<john@example.com> rcpt=<-> source=\"192.0.2.1\" "
     "relay=\"203.0.113.5 (mx.example.com)\" delay=2s result=\"PermFail\" stat=\"550 5.1.1 "
     "<john@example.com>: Recipient address rejected: User unknown\"",
     "opensmtpd", "john@example.com",
     "550 5.1.1 <john@example.com>: Recipient address rejected: User unknown", "PermFail",
     "a1b2c3d4e5f60718", "Jan 15 10:23:45", "mx.example.com", "bounce"},
    {"opensmtpd_tempfail",
     "Jan 15 10:23:45 mx1 smtpd[6789]: 2c1a6e8a4b5c6d7f mta delivery evpid=b1b2c3d4e5f60719 "
     "from=<app@example.org> to=<ann@example.net> rcpt=<-> source=\"192.0.2.1\" "
     "relay=\"198.51.100.7 (mx.example.net)\" delay=1s result=\"TempFail\" stat=\"421 4.7.0 "
     "Try again later\"",
     "opensmtpd", "ann@example.net", "421 4.7.0 Try again later", "TempFail", "b1b2c3d4e5f60719",
     "Jan 15 10:23:45", "mx.example.net", "deferral"},
    {"opensmtpd_old_form",
     "Jan 15 10:23:45 mx1 smtpd[6789]: delivery: PermFail for 5d2f8a1b: from=<app@example.org>, "
     "to=<x@example.org>, user=-, method=mta, delay=3s, relay=mx.example.org "
     "[192.0.2.8], stat=550 No such mailbox",
     "opensmtpd", "x@example.org", "550 No such mailbox", "PermFail", "5d2f8a1b", "Jan 15 10:23:45",
     "mx.example.org", "bounce"},
    // --- qmail ---------------------------------------------------------------------------
    {"qmail_failure_multilog",
     "@400000006578a1b2c3d4e5f6 delivery 42: failure: "
     "203.0.113.5_does_not_like_recipient./Remote_host_said:_550_5.1.1_<john@example.com>..._"
     "User_unknown/Giving_up_on_203.0.113.5./",
     "qmail", "",
     "203.0.113.5 does not like recipient. Remote host said: 550 5.1.1 <john@example.com>... "
     "User unknown Giving up on 203.0.113.5.",
     "failure", "delivery 42", "@400000006578a1b2c3d4e5f6", "203.0.113.5", "bounce"},
    {"qmail_deferral_splogger",
     "Jan 15 10:23:45 mx1 qmail: 1705314225.123456 delivery 43: deferral: "
     "Connected_to_198.51.100.7_but_sender_was_rejected./Remote_host_said:_451_4.7.1_"
     "Greylisted/",
     "qmail", "",
     "Connected to 198.51.100.7 but sender was rejected. Remote host said: 451 4.7.1 Greylisted",
     "deferral", "delivery 43", "Jan 15 10:23:45", "198.51.100.7", "deferral"},
    {"qmail_no_host",
     "1705314225.654321 delivery 44: failure: "
     "Sorry,_I_couldn't_find_any_host_named_example.invalid._(#5.1.2)/",
     "qmail", "", "Sorry, I couldn't find any host named example.invalid. (#5.1.2)", "failure",
     "delivery 44", "1705314225.654321", "", "bounce"},
    // --- Haraka --------------------------------------------------------------------------
    {"haraka_rejected",
     "[NOTICE] [4C7E1F3A-2B5D-4E8F-9A1C-3D5E7F9B1C2D.1.1] [outbound] recipient "
     "<john@example.com> rejected: 550 5.1.1 <john@example.com>: Recipient address rejected: "
     "User unknown",
     "haraka", "john@example.com",
     "550 5.1.1 <john@example.com>: Recipient address rejected: User unknown", "rejected",
     "4C7E1F3A-2B5D-4E8F-9A1C-3D5E7F9B1C2D.1.1", "", "", "bounce"},
    {"haraka_deferred_timestamped",
     "2024-01-15T10:23:45.123Z [NOTICE] [5D8F2A4B-3C6E-4F9A-8B2D-4E6F8A0C2D3E.1.1] [outbound] "
     "recipient <ann@example.net> deferred: 451 4.7.1 Greylisted",
     "haraka", "ann@example.net", "451 4.7.1 Greylisted", "deferred",
     "5D8F2A4B-3C6E-4F9A-8B2D-4E6F8A0C2D3E.1.1", "2024-01-15T10:23:45.123Z", "", "deferral"},
    {"haraka_bouncing_no_domain",
     "[INFO] [6E9A3B5C-4D7F-4A0B-9C3E-5F7A9B1D3E4F.1.1] [outbound] bouncing mail: No Such "
     "Domain: example.invalid",
     "haraka", "", "No Such Domain: example.invalid", "rejected",
     "6E9A3B5C-4D7F-4A0B-9C3E-5F7A9B1D3E4F.1.1", "", "", "bounce"},
    // --- PowerMTA ------------------------------------------------------------------------
    {"powermta_default_columns",
     "b,2024-01-15 10:23:45-0500,2024-01-15 10:23:40-0500,bounces@example.org,"
     "john@example.com,,failed,5.1.1 (bad destination mailbox address),"
     "smtp;550 5.1.1 <john@example.com>... User unknown,mx.example.com (203.0.113.5),"
     "bad-mailbox,smtp,api.example.org (192.0.2.1),smtp,192.0.2.10,203.0.113.5,"
     "\"PIPELINING,8BITMIME,SIZE\",2345,vmta1,job42,env-7,example.com/vmta1,pool1",
     "powermta", "john@example.com", "550 5.1.1 <john@example.com>... User unknown", "5.1.1",
     "env-7", "2024-01-15 10:23:45-0500", "mx.example.com", "bounce"},
    {"powermta_transient",
     "t,2024-01-15 10:23:45-0500,2024-01-15 10:20:00-0500,bounces@example.org,"
     "ann@example.net,,delayed,4.7.1 (delivery not authorized),"
     "\"smtp;421 4.7.1 Too many connections, slow down\",mx.example.net (198.51.100.7),"
     "policy-related,smtp,,smtp,192.0.2.10,198.51.100.7,,2345,vmta1,job42,,example.net/vmta1,",
     "powermta", "ann@example.net", "421 4.7.1 Too many connections, slow down", "4.7.1", "job42",
     "2024-01-15 10:23:45-0500", "mx.example.net", "deferral"},
    // --- Exchange ------------------------------------------------------------------------
    {"exchange_fail_2013_default",
     "2024-01-15T10:23:45.123Z,,,,EX01,No suitable shadow servers,,SMTP,FAIL,123456789,"
     "<abc123@ex01.example.org>,1a2b3c4d-0000-0000-0000-000000000001,john@example.com,"
     "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found,4567,1,,,Quarterly report,"
     "sender@example.org,sender@example.org,,Originating,,,,,,,",
     "exchange", "john@example.com", "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found", "FAIL",
     "<abc123@ex01.example.org>", "2024-01-15T10:23:45.123Z", "", "bounce"},
    {"exchange_fail_led",
     "2024-01-15T10:23:45.123Z,,,,EX01,,,SMTP,FAIL,123456790,<abc124@ex01.example.org>,"
     "1a2b3c4d-0000-0000-0000-000000000002,ann@example.net,"
     "\"[{LRT=};{LED=550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using "
     "Spamhaus};{FQDN=};{IP=}]\",4567,1,,,Hello,sender@example.org,sender@example.org,,"
     "Originating,,,,,,,",
     "exchange", "ann@example.net",
     "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus", "FAIL",
     "<abc124@ex01.example.org>", "2024-01-15T10:23:45.123Z", "", "bounce"},
    // --- KumoMTA -------------------------------------------------------------------------
    {"kumomta_bounce",
     R"({"type":"Bounce","id":"1d98076abbbc11ed940250ebf67f93bd","sender":"noreply@example.org","recipient":"john@example.com","queue":"example.com","site":"mx.example.com","size":1024,"response":{"code":550,"enhanced_code":{"class":5,"subject":1,"detail":1},"content":"user unknown","command":"RCPT TO:<john@example.com>\r\n"},"peer_address":{"name":"mx.example.com","addr":"203.0.113.5"},"timestamp":1705314225,"created":1705314220,"num_attempts":1,"bounce_classification":"InvalidRecipient","egress_pool":"pool1","egress_source":"ip1"})",
     "kumomta", "john@example.com", "550 5.1.1 user unknown", "5.1.1",
     "1d98076abbbc11ed940250ebf67f93bd", "1705314225", "mx.example.com", "bounce"},
    {"kumomta_transient",
     R"({"type":"TransientFailure","id":"2e98076abbbc11ed940250ebf67f93bd","sender":"noreply@example.org","recipient":"ann@example.net","queue":"example.net","response":{"code":421,"enhanced_code":{"class":4,"subject":7,"detail":0},"content":"Too many connections","command":null},"peer_address":{"name":"mx.example.net","addr":"198.51.100.7"},"timestamp":1705314226})",
     "kumomta", "ann@example.net", "421 4.7.0 Too many connections", "4.7.0",
     "2e98076abbbc11ed940250ebf67f93bd", "1705314226", "mx.example.net", "deferral"},
    // --- Amazon SES ----------------------------------------------------------------------
    {"ses_bounce_notification",
     R"({"notificationType":"Bounce","bounce":{"feedbackId":"0100017f-aaaa","bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"john@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2024-01-15T10:23:45.000Z","remoteMtaIp":"203.0.113.5","reportingMTA":"dsn; a8-70.smtp-out.amazonses.com"},"mail":{"timestamp":"2024-01-15T10:23:40.000Z","source":"app@example.org","messageId":"0100017f-bbbb","destination":["john@example.com"]}})",
     "ses", "john@example.com", "550 5.1.1 user unknown", "5.1.1", "0100017f-bbbb",
     "2024-01-15T10:23:45.000Z", "203.0.113.5", "bounce"},
    {"ses_event_suppressed",
     R"({"eventType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"Suppressed","bouncedRecipients":[{"emailAddress":"gone@example.com"}],"timestamp":"2024-01-15T10:23:45.000Z","feedbackId":"x"},"mail":{"messageId":"0100017f-cccc"}})",
     "ses", "gone@example.com",
     "Amazon SES did not send to this address: it is on a suppression list (Suppressed)",
     "Permanent/Suppressed", "0100017f-cccc", "2024-01-15T10:23:45.000Z", "", "bounce"},
    {"ses_complaint_in_sns_envelope",
     R"({"Type":"Notification","MessageId":"sns-1","TopicArn":"arn:aws:sns:us-east-1:123456789012:ses","Message":"{\"notificationType\":\"Complaint\",\"complaint\":{\"complainedRecipients\":[{\"emailAddress\":\"angry@example.com\"}],\"timestamp\":\"2024-01-15T11:00:00.000Z\",\"feedbackId\":\"f-1\",\"complaintFeedbackType\":\"abuse\"},\"mail\":{\"messageId\":\"0100017f-dddd\"}}"})",
     "ses", "angry@example.com", "abuse", "abuse", "0100017f-dddd", "2024-01-15T11:00:00.000Z", "",
     "complaint"},
    {"ses_delivery_delay",
     R"({"eventType":"DeliveryDelay","mail":{"messageId":"0100017f-eeee"},"deliveryDelay":{"timestamp":"2024-01-15T12:00:00.000Z","delayType":"TransientCommunicationFailure","expirationTime":"2024-01-16T12:00:00.000Z","delayedRecipients":[{"emailAddress":"slow@example.net","status":"4.4.1","diagnosticCode":"smtp; 421 4.4.1 Connection timed out"}]}})",
     "ses", "slow@example.net", "421 4.4.1 Connection timed out", "4.4.1", "0100017f-eeee",
     "2024-01-15T12:00:00.000Z", "", "deferral"},
    // --- SendGrid ------------------------------------------------------------------------
    {"sendgrid_bounce", R"({"email":"john@example.com","timestamp":1705314225,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"bounce","category":"newsletter","sg_event_id":"6g4ZI7SA-xmRDv57GoPIPw==","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","reason":"550 5.1.1 The email account that you tried to reach does not exist.","status":"5.1.1","type":"bounce","bounce_classification":"Invalid Address"})",
     "sendgrid", "john@example.com",
     "550 5.1.1 The email account that you tried to reach does not exist.", "5.1.1",
     "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0", "1705314225", "", "bounce"},
    {"sendgrid_deferred",
     R"({"email":"ann@example.net","timestamp":1705314226,"event":"deferred","sg_event_id":"abc","sg_message_id":"m-2","response":"421 4.7.0 Try again later","attempt":"3"})",
     "sendgrid", "ann@example.net", "421 4.7.0 Try again later", "deferred", "m-2", "1705314226",
     "", "deferral"},
    // --- Mailgun -------------------------------------------------------------------------
    {"mailgun_failed_permanent",
     R"({"signature":{"timestamp":"1705314225","token":"t","signature":"s"},"event-data":{"event":"failed","id":"G9Bn5sl1TC6nu79C8C0bwg","timestamp":1705314225.501324,"log-level":"error","severity":"permanent","reason":"bounce","recipient":"john@example.com","recipient-domain":"example.com","delivery-status":{"attempt-no":1,"code":550,"message":"5.1.1 The email account that you tried to reach does not exist.","description":"","enhanced-code":"5.1.1","mx-host":"gmail-smtp-in.l.google.com","tls":true,"session-seconds":0.4},"message":{"headers":{"to":"john@example.com","message-id":"20240115102345.1.ABCDEF@mg.example.org","from":"app@example.org","subject":"Hi"}}}})",
     "mailgun", "john@example.com",
     "550 5.1.1 The email account that you tried to reach does not exist.", "5.1.1",
     "20240115102345.1.ABCDEF@mg.example.org", "1705314225.501324", "gmail-smtp-in.l.google.com",
     "bounce"},
    {"mailgun_suppress_bounce",
     R"({"event-data":{"event":"failed","severity":"permanent","reason":"suppress-bounce","recipient":"gone@example.com","timestamp":1705314226.0,"id":"H1","delivery-status":{"code":605,"message":"","description":"Not delivering to previously bounced address","attempt-no":1}}})",
     "mailgun", "gone@example.com", "Not delivering to previously bounced address",
     "suppress-bounce", "H1", "1705314226.0", "", "bounce"},
    {"mailgun_temporary",
     R"({"event-data":{"event":"failed","severity":"temporary","reason":"generic","recipient":"ann@example.net","timestamp":1705314227.5,"id":"H2","delivery-status":{"code":421,"message":"4.7.0 Try again later","enhanced-code":"4.7.0","mx-host":"mx.example.net"}}})",
     "mailgun", "ann@example.net", "421 4.7.0 Try again later", "4.7.0", "H2", "1705314227.5",
     "mx.example.net", "deferral"},
    // --- Postmark ------------------------------------------------------------------------
    {"postmark_hard_bounce",
     R"({"RecordType":"Bounce","ID":4323372036854775807,"Type":"HardBounce","TypeCode":1,"Name":"Hard bounce","Tag":"welcome","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","ServerID":23,"MessageStream":"outbound","Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).","Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.","Email":"john@example.com","From":"app@example.org","BouncedAt":"2024-01-15T10:23:45.9070259Z","DumpAvailable":true,"Inactive":true,"CanActivate":true,"Subject":"Welcome"})",
     "postmark", "john@example.com",
     "550 5.1.1 The email account that you tried to reach does not exist.", "HardBounce",
     "883953f4-6105-42a2-a16a-77a8eac79483", "2024-01-15T10:23:45.9070259Z", "", "bounce"},
    {"postmark_spam_complaint",
     R"({"RecordType":"SpamComplaint","ID":42,"Type":"SpamComplaint","TypeCode":512,"MessageID":"m-9","Email":"angry@example.com","BouncedAt":"2024-01-15T11:00:00Z","Details":"","Description":"The subscriber explicitly marked this message as spam."})",
     "postmark", "angry@example.com", "abuse", "SpamComplaint", "m-9", "2024-01-15T11:00:00Z", "",
     "complaint"},
};

class FailureLines : public ::testing::TestWithParam<FailureCase> {};

TEST_P(FailureLines, ExtractsTheFailure) {
    const FailureCase& c = GetParam();
    const std::optional<LogEvent> e = extract_log_event(c.line);
    ASSERT_TRUE(e.has_value()) << c.line;
    EXPECT_EQ(e->format, c.format);
    EXPECT_EQ(e->recipient, c.recipient);
    EXPECT_EQ(e->reply, c.reply);
    EXPECT_EQ(e->status, c.status);
    EXPECT_EQ(e->queue_id, c.queue_id);
    EXPECT_EQ(e->timestamp, c.timestamp);
    EXPECT_EQ(e->relay, c.relay);
    EXPECT_EQ(e->kind, c.kind);
    EXPECT_EQ(classify_log_line(c.line), LogLineKind::failure);
    // A reader gives the same first event.
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read(c.line, events), LogLineKind::failure);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().reply, c.reply);
}

INSTANTIATE_TEST_SUITE_P(Formats, FailureLines, ::testing::ValuesIn(k_failures),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

struct QuietCase {
    const char* name;
    const char* line;
    LogLineKind kind;
};

const QuietCase k_quiet[] = {
    {"postfix_sent",
     "Jan 15 10:23:45 mx1 postfix/smtp[12345]: 4BQ2Xk1XyzZ: to=<john@example.com>, "
     "relay=mx.example.com[203.0.113.5]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, "
     "status=sent (250 2.0.0 Ok: queued as 4BQ2Xm0abc)",
     LogLineKind::no_failure},
    {"postfix_connect", "Jan 15 10:23:45 mx1 postfix/smtpd[321]: connect from unknown[192.0.2.9]",
     LogLineKind::no_failure},
    {"postfix_qmgr_arrival",
     "Jan 15 10:23:45 mx1 postfix/qmgr[1200]: 4BQ2Xk1XyzZ: from=<app@example.org>, size=2345, "
     "nrcpt=1 (queue active)",
     LogLineKind::no_failure},
    {"postfix_removed", "Jan 15 10:23:45 mx1 postfix/qmgr[1200]: 4BQ2Xk1XyzZ: removed",
     LogLineKind::no_failure},
    {"postfix_bounce_notification",
     "Jan 15 10:23:45 mx1 postfix/bounce[4321]: 4BQ2Xk1XyzZ: sender non-delivery notification: "
     "5C3D2E1F0A",
     LogLineKind::no_failure},
    {"postfix_smtpd_noqueue_reject_inbound",
     "Jan 15 10:23:45 mx1 postfix/smtpd[321]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: "
     "554 5.7.1 <x@example.org>: Relay access denied; from=<spam@example.biz> "
     "to=<x@example.org> proto=ESMTP helo=<spam>",
     LogLineKind::no_failure},
    {"postfix_verify_deliverable",
     "Jan 15 10:23:45 mx1 postfix/smtp[13]: 5F6A7B8C9D: to=<ok@example.com>, "
     "relay=mx.example.com[203.0.113.5]:25, delay=0.5, delays=0/0/0.2/0.3, dsn=2.1.5, "
     "status=deliverable (250 2.1.5 Ok)",
     LogLineKind::no_failure},
    {"dovecot_login", "Jan 15 10:23:45 mx1 dovecot: imap-login: Login: user=<john>",
     LogLineKind::no_failure},
    {"exim_arrival",
     "2024-01-15 10:23:45 1rPqXY-0001Ab-Cd <= app@example.org H=web1 [192.0.2.50] P=esmtp "
     "S=2345 id=abc@example.org",
     LogLineKind::no_failure},
    {"exim_delivery",
     "2024-01-15 10:23:46 1rPqXY-0001Ab-Cd => john@example.com R=dnslookup T=remote_smtp "
     "H=mx.example.com [203.0.113.5] C=\"250 2.0.0 Ok: queued as 123\"",
     LogLineKind::no_failure},
    {"exim_completed", "2024-01-15 10:23:46 1rPqXY-0001Ab-Cd Completed", LogLineKind::no_failure},
    {"exim_connection",
     "2024-01-15 10:23:40 SMTP connection from [192.0.2.50]:41234 (TCP/IP connection count = 1)",
     LogLineKind::no_failure},
    {"sendmail_sent",
     "Jan 15 10:23:45 mx1 sendmail[1234]: 0AFAbcde012345: to=<john@example.com>, "
     "delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120385, relay=mx.example.com. "
     "[203.0.113.5], dsn=2.0.0, stat=Sent (Ok: queued as 4BQ2Xm0abc)",
     LogLineKind::no_failure},
    {"sendmail_from",
     "Jan 15 10:23:44 mx1 sendmail[1234]: 0AFAbcde012345: from=<app@example.org>, size=2345, "
     "class=0, nrcpts=1, msgid=<abc@example.org>, proto=ESMTP, daemon=MTA, relay=localhost "
     "[127.0.0.1]",
     LogLineKind::no_failure},
    {"opensmtpd_ok",
     "Jan 15 10:23:45 mx1 smtpd[6789]: 2c1a6e8a4b5c6d7e mta delivery evpid=a1b2c3d4e5f60718 "
     "from=<app@example.org> to=<john@example.com> rcpt=<-> source=\"192.0.2.1\" "
     "relay=\"203.0.113.5 (mx.example.com)\" delay=2s result=\"Ok\" stat=\"250 2.0.0 Ok\"",
     LogLineKind::no_failure},
    {"qmail_success",
     "@400000006578a1b2c3d4e5f6 delivery 45: success: "
     "203.0.113.5_accepted_message./Remote_host_said:_250_ok/",
     LogLineKind::no_failure},
    {"qmail_status", "@400000006578a1b2c3d4e5f7 status: local 0/10 remote 1/20",
     LogLineKind::no_failure},
    {"haraka_delivered",
     "[NOTICE] [4C7E1F3A-2B5D-4E8F-9A1C-3D5E7F9B1C2D.1.1] [outbound] delivered "
     "file=1705314225_0_1234_5678.mx1.example.org domain=example.com host=mx.example.com "
     "ip=203.0.113.5 port=25 mode=SMTP tls=Y auth=N response=\"2.0.0 Ok\" delay=1.2 fails=0 "
     "rcpts=1/0/0",
     LogLineKind::no_failure},
    {"powermta_delivery",
     "d,2024-01-15 10:23:45-0500,2024-01-15 10:23:40-0500,bounces@example.org,"
     "john@example.com,,relayed,2.0.0 (success),smtp;250 2.0.0 Ok,mx.example.com "
     "(203.0.113.5),,smtp,,smtp,192.0.2.10,203.0.113.5,,2345,vmta1,job42,,example.com/vmta1,",
     LogLineKind::no_failure},
    {"exchange_deliver",
     "2024-01-15T10:23:45.123Z,,,,EX01,,,STOREDRIVER,DELIVER,123456789,<abc@ex01.example.org>,"
     "1a2b,john@example.org,,4567,1,,,Hello,sender@example.org,sender@example.org,,Incoming,,,,,"
     ",,",
     LogLineKind::no_failure},
    {"exchange_header_software", "#Software: Microsoft Exchange Server", LogLineKind::no_failure},
    {"ses_delivery",
     R"({"notificationType":"Delivery","mail":{"messageId":"m"},"delivery":{"recipients":["a@example.com"],"smtpResponse":"250 ok"}})",
     LogLineKind::no_failure},
    {"sendgrid_delivered",
     R"({"email":"a@example.com","event":"delivered","sg_event_id":"x","response":"250 OK"})",
     LogLineKind::no_failure},
    {"mailgun_delivered",
     R"({"event-data":{"event":"delivered","recipient":"a@example.com","delivery-status":{"code":250,"message":"OK"}}})",
     LogLineKind::no_failure},
    {"postmark_delivery",
     R"({"RecordType":"Delivery","Recipient":"a@example.com","Details":"Test delivery"})",
     LogLineKind::no_failure},
    {"kumomta_delivery",
     R"({"type":"Delivery","id":"x","recipient":"a@example.com","response":{"code":250,"content":"ok"}})",
     LogLineKind::no_failure},
    {"plain_reply", "550 5.1.1 <a@b.example>: Recipient address rejected: User unknown",
     LogLineKind::other},
    {"timestamped_reply", "2024-01-15 10:23:45 550 5.1.1 user unknown", LogLineKind::other},
    {"unknown_syslog_program", "Jan 15 10:23:45 host kernel: eth0: link up", LogLineKind::other},
    {"empty", "", LogLineKind::other},
    {"json_unknown_shape", R"({"hello":"world","failed":true})", LogLineKind::other},
    {"broken_json", R"({"notificationType":"Bounce","bounce":)", LogLineKind::other},
    {"binary", "\x01\x02\xff\xfe garbage \x80", LogLineKind::other},
};

class QuietLines : public ::testing::TestWithParam<QuietCase> {};

TEST_P(QuietLines, GiveNoEvent) {
    const QuietCase& c = GetParam();
    EXPECT_FALSE(extract_log_event(c.line).has_value()) << c.line;
    EXPECT_EQ(classify_log_line(c.line), c.kind) << c.line;
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read(c.line, events), c.kind);
    EXPECT_TRUE(events.empty());
}

INSTANTIATE_TEST_SUITE_P(Formats, QuietLines, ::testing::ValuesIn(k_quiet),
                         [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(LogReader, SendmailLineWithSeveralRecipientsGivesOneEventEach) {
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read("Jan 15 10:23:45 mx1 sendmail[1]: 0AFAbc012345: "
                          "to=<a@example.com>,<b@example.com>, delay=00:00:01, mailer=esmtp, "
                          "pri=1, relay=mx.example.com. [203.0.113.5], dsn=5.1.1, stat=User "
                          "unknown",
                          events),
              LogLineKind::failure);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].recipient, "a@example.com");
    EXPECT_EQ(events[1].recipient, "b@example.com");
    EXPECT_EQ(events[1].reply, "User unknown");
}

TEST(LogReader, QmailRecipientComesFromTheStartingDeliveryLine) {
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read("@400000006578a1b2c3d4e5f0 new msg 12345", events),
              LogLineKind::no_failure);
    EXPECT_EQ(reader.read("@400000006578a1b2c3d4e5f1 starting delivery 42: msg 12345 to remote "
                          "john@example.com",
                          events),
              LogLineKind::no_failure);
    EXPECT_EQ(reader.read("@400000006578a1b2c3d4e5f6 delivery 42: failure: "
                          "203.0.113.5_does_not_like_recipient./Remote_host_said:_550_5.1.1_"
                          "User_unknown/Giving_up_on_203.0.113.5./",
                          events),
              LogLineKind::failure);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].recipient, "john@example.com");
    EXPECT_EQ(events[0].queue_id, "12345");
    // The delivery is closed: a repeated number no longer names the recipient.
    events.clear();
    reader.read("@400000006578a1b2c3d4e5f7 delivery 42: deferral: Connection_refused/", events);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].recipient, "");
}

TEST(LogReader, PowerMtaHeaderDecidesTheColumns) {
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read("type,timeLogged,rcpt,dsnStatus,dsnDiag,dsnMta,jobId", events),
              LogLineKind::no_failure);
    EXPECT_EQ(reader.read("b,2024-01-15 10:23:45+0000,john@example.com,5.1.1 (bad destination "
                          "mailbox address),smtp;550 5.1.1 User unknown,mx.example.com "
                          "(203.0.113.5),job-9",
                          events),
              LogLineKind::failure);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].recipient, "john@example.com");
    EXPECT_EQ(events[0].reply, "550 5.1.1 User unknown");
    EXPECT_EQ(events[0].status, "5.1.1");
    EXPECT_EQ(events[0].queue_id, "job-9");
    EXPECT_EQ(events[0].relay, "mx.example.com");
}

TEST(LogReader, ExchangeFieldsHeaderDecidesTheColumns) {
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read("#Software: Microsoft Exchange Server", events), LogLineKind::no_failure);
    EXPECT_EQ(reader.read("#Fields: date-time,event-id,recipient-address,recipient-status,"
                          "message-id",
                          events),
              LogLineKind::no_failure);
    EXPECT_EQ(reader.read("2024-01-15T10:23:45.123Z,FAIL,a@example.com;b@example.com,550 5.1.1 "
                          "RESOLVER.ADR.RecipNotFound; not found;550 5.2.2 Mailbox full,<m@x>",
                          events),
              LogLineKind::failure);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].recipient, "a@example.com");
    EXPECT_EQ(events[0].reply, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found");
    EXPECT_EQ(events[1].recipient, "b@example.com");
    EXPECT_EQ(events[1].reply, "550 5.2.2 Mailbox full");
    EXPECT_EQ(events[1].queue_id, "<m@x>");
}

TEST(LogReader, ExchangeExportCsvHeader) {
    LogReader reader;
    std::vector<LogEvent> events;
    reader.read(
        "\"Timestamp\",\"EventId\",\"Source\",\"Recipients\",\"RecipientStatus\","
        "\"MessageId\"",
        events);
    EXPECT_EQ(reader.read("\"2024-01-15T10:23:45.123Z\",\"FAIL\",\"SMTP\",\"c@example.com\","
                          "\"550 5.7.1 Delivery not authorized\",\"<m2@x>\"",
                          events),
              LogLineKind::failure);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].recipient, "c@example.com");
    EXPECT_EQ(events[0].reply, "550 5.7.1 Delivery not authorized");
    EXPECT_EQ(events[0].timestamp, "2024-01-15T10:23:45.123Z");
}

TEST(LogReader, SendGridBatchGivesEveryFailure) {
    LogReader reader;
    std::vector<LogEvent> events;
    EXPECT_EQ(reader.read(R"([{"email":"a@example.com","event":"delivered","sg_event_id":"1"},)"
                          R"({"email":"b@example.com","event":"bounce","sg_event_id":"2",)"
                          R"("reason":"550 5.1.1 unknown","status":"5.1.1"},)"
                          R"({"email":"c@example.com","event":"spamreport","sg_event_id":"3"}])",
                          events),
              LogLineKind::failure);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].recipient, "b@example.com");
    EXPECT_EQ(events[1].recipient, "c@example.com");
    EXPECT_EQ(events[1].kind, "complaint");
}

TEST(LogReader, SesBounceWithSeveralRecipients) {
    LogReader reader;
    std::vector<LogEvent> events;
    reader.read(
        R"({"notificationType":"Bounce","bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"a@example.com","status":"4.2.2","diagnosticCode":"smtp; 452 4.2.2 Mailbox full"},{"emailAddress":"b@example.com","status":"4.2.2","diagnosticCode":"smtp; 452 4.2.2 Mailbox full"}],"timestamp":"t"},"mail":{"messageId":"m"}})",
        events);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, "deferral");
    EXPECT_EQ(events[1].recipient, "b@example.com");
    EXPECT_EQ(events[1].reply, "452 4.2.2 Mailbox full");
}

// Logs get cut (full disks, syslog line limits, "head -c"): every prefix of every failure line
// must read without a crash, and a reader survives them all in a row.
TEST(LogLine, TruncatedLinesNeverBreakTheReader) {
    LogReader reader;
    std::vector<LogEvent> events;
    for (const FailureCase& c : k_failures) {
        const std::string line = c.line;
        for (std::size_t n = 0; n <= line.size(); ++n) {
            events.clear();
            const std::string prefix = line.substr(0, n);
            reader.read(prefix, events);
            extract_log_event(prefix);
        }
    }
    events.clear();
    EXPECT_EQ(reader.read(k_failures[0].line, events), LogLineKind::failure);
}

TEST(LogLine, TrailingCarriageReturnIsIgnored) {
    const auto e = extract_log_event(
        "2024-01-15 10:23:45 1rPqYA-0003Cd-Ef ** nobody@example.invalid: Unrouteable address\r");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->reply, "Unrouteable address");
}

}  // namespace
}  // namespace bouncediag
