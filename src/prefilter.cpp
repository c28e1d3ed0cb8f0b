#include "prefilter.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_map>

#include "bouncediag/error.h"
#include "text_util.h"

namespace bouncediag {
namespace {

// Shorter atoms select too many rules to be worth a lookup.
constexpr int k_min_atom_length = 3;

// Whether a code point has no case: fold_for_atoms leaves it as it is, and RE2's case folding
// equates it with nothing else. Only scripts without case, and punctuation, qualify; a letter
// of Latin, Greek, Cyrillic, ... does not (its other case would be missed).
bool is_caseless(char32_t c) {
    return (c >= 0xA0 && c <= 0xBF && c != 0xB5) ||  // Latin-1 punctuation (not MICRO SIGN)
           (c >= 0x0590 && c <= 0x06FF) ||           // Hebrew, Arabic
           (c >= 0x0E00 && c <= 0x0E7F) ||           // Thai
           (c >= 0x2000 && c <= 0x206F) ||           // general punctuation
           (c >= 0x3000 && c <= 0x9FFF) ||           // CJK symbols, kana, CJK ideographs
           (c >= 0xAC00 && c <= 0xD7AF) ||           // Hangul
           (c >= 0xFF01 && c <= 0xFF20) ||           // fullwidth digits and punctuation
           (c >= 0xFF61 && c <= 0xFF9F);             // halfwidth katakana
}

// Decodes the UTF-8 sequence at `s[i]` (atoms come from RE2, so they are valid UTF-8).
char32_t decode_utf8(std::string_view s, std::size_t& i) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
    char32_t c = extra == 3 ? b & 0x07 : extra == 2 ? b & 0x0F : extra == 1 ? b & 0x1F : b;
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i)
        c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    return c;
}

// Whether matching `atom` against fold_for_atoms(text) finds every text whose case-insensitive
// form contains it.
bool is_foldable(std::string_view atom) {
    for (std::size_t i = 0; i < atom.size();) {
        if (static_cast<unsigned char>(atom[i]) < 0x80) {
            ++i;
            continue;
        }
        if (!is_caseless(decode_utf8(atom, i))) return false;
    }
    return true;
}

// The longest run of `atom` that fold_for_atoms leaves comparable (ASCII and caseless
// characters), if it has at least k_min_atom_length bytes, else "". A text that contains the
// atom in any case contains the run in its folded form, so the run can stand in for an atom
// with cased non-ASCII letters: "passement de quota" for "dépassement de quota".
std::string_view foldable_run(std::string_view atom) {
    std::string_view best;
    std::size_t start = 0;
    for (std::size_t i = 0; i < atom.size();) {
        bool keeps = true;
        if (static_cast<unsigned char>(atom[i]) < 0x80)
            ++i;
        else
            keeps = is_caseless(decode_utf8(atom, i));
        if (!keeps)
            start = i;
        else if (i - start > best.size())
            best = atom.substr(start, i - start);
    }
    return best.size() >= std::size_t(k_min_atom_length) ? best : std::string_view();
}

}  // namespace

RE2::Options pattern_options() {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    // Only the whole match is ever asked for (the evidence span): without capture groups the
    // program is smaller and quicker to compile.
    options.set_never_capture(true);
    return options;
}

PatternPrefilter prefilter_of(std::string_view pattern) {
    re2::FilteredRE2 filter(k_min_atom_length);
    int id = 0;
    if (filter.Add(pattern, pattern_options(), &id) != RE2::NoError) {
        throw Error("invalid text pattern: " + RE2(pattern, pattern_options()).error());
    }
    std::vector<std::string> atoms;
    filter.Compile(&atoms);

    // RE2 gives an AND/OR tree over `atoms`; we want a plain OR list. A list will do when the
    // pattern cannot match a text holding every atom but those of the list: the tree is
    // monotone, so that is the most favourable text lacking them.
    std::vector<bool> in_list(atoms.size(), false);
    auto list_suffices = [&]() {
        std::vector<int> present;
        for (std::size_t i = 0; i < atoms.size(); ++i)
            if (!in_list[i]) present.push_back(int(i));
        std::vector<int> potential;
        filter.AllPotentials(present, &potential);
        return potential.empty();
    };
    PatternPrefilter result;
    // Each atom's comparable form: itself, or the longest run of it that folding keeps.
    std::vector<std::string_view> usable_form(atoms.size());
    for (std::size_t i = 0; i < atoms.size(); ++i)
        usable_form[i] =
            is_foldable(atoms[i]) ? std::string_view(atoms[i]) : foldable_run(atoms[i]);
    // Start from every usable atom and drop atoms (shortest first: long atoms select fewer
    // patterns) while the list still does.
    std::vector<std::size_t> usable;
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        if (!usable_form[i].empty()) {
            usable.push_back(i);
            in_list[i] = true;
        }
    }
    if (!usable.empty() && list_suffices()) {
        std::stable_sort(usable.begin(), usable.end(), [&](std::size_t a, std::size_t b) {
            return usable_form[a].size() < usable_form[b].size();
        });
        for (std::size_t i : usable) {
            in_list[i] = false;
            if (!list_suffices()) in_list[i] = true;
        }
        // A listed form that contains another adds nothing: a text with it has the other too.
        std::vector<std::string_view> listed;
        for (std::size_t i = 0; i < atoms.size(); ++i)
            if (in_list[i]) listed.push_back(usable_form[i]);
        for (std::string_view form : listed) {
            bool redundant = std::any_of(listed.begin(), listed.end(), [&](std::string_view other) {
                return other.size() < form.size() && form.find(other) != std::string_view::npos;
            });
            bool seen =
                std::find(result.atoms.begin(), result.atoms.end(), form) != result.atoms.end();
            if (!redundant && !seen) result.atoms.emplace_back(form);
        }
        // Atoms the pattern cannot do without (an AND in the tree: "user ... unknown") make a
        // stricter test, checked once an atom of the list has made the pattern a candidate.
        for (std::size_t i : usable) {
            std::fill(in_list.begin(), in_list.end(), false);
            in_list[i] = true;
            if (list_suffices() && std::find(result.required.begin(), result.required.end(),
                                             usable_form[i]) == result.required.end())
                result.required.emplace_back(usable_form[i]);
        }
        return result;
    }
    // No usable list: does the pattern at least need one of the atoms with non-ASCII bytes?
    for (std::size_t i = 0; i < atoms.size(); ++i) {
        in_list[i] = std::any_of(atoms[i].begin(), atoms[i].end(),
                                 [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
    }
    result.needs_non_ascii = !atoms.empty() && list_suffices();
    return result;
}

void fold_for_atoms(std::string_view text, std::string& out) {
    out.clear();
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        // U+212A KELVIN SIGN (E2 84 AA) and U+017F LATIN SMALL LETTER LONG S (C5 BF).
        if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x84' && text[i + 2] == '\xAA') {
            out += 'k';
            i += 2;
        } else if (c == '\xC5' && i + 1 < text.size() && text[i + 1] == '\xBF') {
            out += 's';
            i += 1;
        } else {
            out += ascii_lower(c);
        }
    }
}

std::size_t AtomLookup::bucket_of(const char* three_bytes) {
    auto b = [&](int i) { return std::uint32_t(static_cast<unsigned char>(three_bytes[i])); };
    std::uint32_t key = b(0) | (b(1) << 8) | (b(2) << 16);
    return (key * 2654435761u) >> (32 - k_bucket_bits);
}

std::uint64_t AtomLookup::load_head(std::string_view text, std::size_t pos) {
    if constexpr (std::endian::native == std::endian::little) {
        if (text.size() - pos >= 8) {  // (most positions: one load)
            std::uint64_t head;
            std::memcpy(&head, text.data() + pos, 8);
            return head;
        }
    }
    unsigned char bytes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    std::memcpy(bytes, text.data() + pos, std::min<std::size_t>(8, text.size() - pos));
    std::uint64_t head = 0;
    for (int i = 7; i >= 0; --i) head = (head << 8) | bytes[i];
    return head;
}

void AtomLookup::find(std::string_view folded, std::vector<std::uint32_t>& found,
                      std::vector<std::uint8_t>& marks) const {
    if (marks.size() < atom_count) marks.resize(atom_count, 0);
    for (std::size_t pos = 0; pos + k_min_atom_length <= folded.size(); ++pos) {
        std::size_t b = bucket_of(folded.data() + pos);
        if (bucket_start[b] == bucket_start[b + 1]) continue;
        std::uint64_t head = load_head(folded, pos);
        for (std::uint32_t k = bucket_start[b]; k < bucket_start[b + 1]; ++k) {
            const AtomEntry& entry = entries[k];
            if ((head & entry.head_mask) != entry.head || marks[entry.id]) continue;
            if (entry.length > 8 && (entry.length > folded.size() - pos ||
                                     std::memcmp(text.data() + entry.offset + 8,
                                                 folded.data() + pos + 8, entry.length - 8) != 0))
                continue;
            marks[entry.id] = 1;
            found.push_back(entry.id);
        }
    }
}

std::uint32_t AtomIndex::intern(std::string_view atom) {
    auto [it, is_new] = m_ids.try_emplace(std::string(atom), std::uint32_t(m_atoms.size()));
    if (is_new) m_atoms.emplace_back(atom);
    return it->second;
}

void AtomIndex::finish() {
    constexpr std::size_t buckets = AtomLookup::k_buckets;
    std::vector<std::uint32_t> count(buckets + 1, 0);
    std::vector<std::uint32_t>& offset = m_offsets;
    offset.clear();
    for (const std::string& atom : m_atoms) {
        if (atom.size() < std::size_t(k_min_atom_length))
            throw Error("internal error: prefilter atom \"" + atom + "\" too short");
        ++count[AtomLookup::bucket_of(atom.data()) + 1];
        offset.push_back(std::uint32_t(m_text.size()));
        m_text += atom;
    }
    m_bucket_start.assign(buckets + 1, 0);
    for (std::size_t b = 0; b < buckets; ++b)
        m_bucket_start[b + 1] = m_bucket_start[b] + count[b + 1];
    m_entries.assign(m_atoms.size(), AtomEntry{0, 0, 0, 0, 0});
    std::vector<std::uint32_t> next(m_bucket_start.begin(), m_bucket_start.end() - 1);
    for (std::size_t i = 0; i < m_atoms.size(); ++i) {
        const std::string& atom = m_atoms[i];
        std::size_t head_length = std::min<std::size_t>(atom.size(), 8);
        std::uint64_t mask =
            head_length == 8 ? ~std::uint64_t(0) : (std::uint64_t(1) << (8 * head_length)) - 1;
        m_entries[next[AtomLookup::bucket_of(atom.data())]++] =
            AtomEntry{AtomLookup::load_head(atom, 0) & mask, mask, std::uint32_t(atom.size()),
                      std::uint32_t(i), offset[i]};
    }
    m_ids.clear();
    m_lookup = AtomLookup{m_text, m_bucket_start, m_entries, std::uint32_t(m_atoms.size())};
}

}  // namespace bouncediag
