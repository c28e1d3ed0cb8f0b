// A memo of classifications for line mode, where a log repeats a few hundred reply templates
// that differ only in addresses, IP addresses and tracking ids. Internal: one per thread, the
// table of templates optionally shared by the threads of one input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bouncediag/classifier.h"
#include "bouncediag/reply.h"
#include "fingerprint_map.h"

namespace bouncediag {

// Classifies replies through a table keyed on everything the classifier reads: the codes, the
// SMTP command, the remote host and the text with its variable tokens masked. Masking keeps
// every length, so patterns that bound a distance (".{0,30}") read the same layout:
//   - an IPv4 address (but 127.x, blocklist answers) keeps its dots, its digits become '0';
//   - in the local part of an address, a run of letters and digits that holds a digit
//     ("priya561", "a1b2") becomes 'x's; a run of letters alone (a word such as "postmaster")
//     stays, since a pattern may name it;
//   - elsewhere a run of 10 or more letters and digits with both (a provider's tracking id,
//     "m89oz6ww3r", "DB6PR04MB1234") becomes 'x's; shorter codes such as Yahoo's "TSS04",
//     GoDaddy's "IB401" or Comcast's "BL000001" stay, since rules name them.
// A hit gives the cached rule's diagnosis; its evidence (matched_text) is found again in the
// reply's own text by the rule's own patterns, and when none of them matches the reply is
// classified afresh. Each new template is classified afresh on its next few uses as well and
// compared: a template whose outcome varies with its masked tokens is never served from the
// cache. The outcome is the classifier's own (tests/reply_cache_test.cpp, and the whole
// benchmark log byte for byte).
class ReplyCache {
  public:
    // The table of templates, which the caches of several threads may share (each thread
    // meeting every template anew cost -j 2 a quarter more work than -j 1).
    class Templates;

    explicit ReplyCache(const Classifier& classifier, bool verify_every_hit = false);
    // A cache whose templates are `shared` with other caches of the same classifier.
    ReplyCache(const Classifier& classifier, std::shared_ptr<Templates> shared);
    static std::shared_ptr<Templates> make_templates();
    ~ReplyCache();
    ReplyCache(const ReplyCache&) = delete;
    ReplyCache& operator=(const ReplyCache&) = delete;

    // classifier.classify(reply), through the cache.
    Diagnosis classify(const Reply& reply);

    // The masked form of `text` (for tests).
    static void mask(std::string_view text, std::string& out);

    std::size_t hits() const { return m_hits; }
    std::size_t misses() const { return m_misses; }
    // Templates whose outcome varied with their masked tokens (never served from the cache).
    std::size_t varied() const { return m_varied; }

  private:
    // What the table keeps for a template: the diagnosis without its evidence (matched_text)
    // and the index of the rule that decided (to find the evidence again).
    struct Outcome {
        Diagnosis diagnosis;
        std::size_t rule_index;
    };

    const Classifier& m_classifier;
    bool m_verify_every_hit;
    std::string m_key;  // the masked key (reused)
    std::shared_ptr<Templates> m_templates;
    bool m_shared = false;
    // With a shared table: the templates this thread found settled there (checked and never
    // varied: their outcome no longer changes), read without the table's lock.
    FingerprintMap<std::shared_ptr<const Outcome>> m_settled;
    std::uint64_t m_settled_epoch = 0;  // the table's varied_epoch() m_settled is good for
    std::size_t m_hits = 0;
    std::size_t m_misses = 0;
    std::size_t m_varied = 0;
};

}  // namespace bouncediag
