// libFuzzer target: the reply parser on any text, then classification and every output format
// (what `bouncediag 'REPLY'` does). Oracles: no crash, no sanitizer report, JSON valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bouncediag/diagnose.h"
#include "bouncediag/output.h"
#include "bouncediag/reply.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bouncediag;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const Reply reply = parse_reply(text);
    (void)reply.code_class_type();
    fuzz::check(reply.enhanced_code.empty() || is_enhanced_code(reply.enhanced_code));
    const Result result = diagnose_reply(text, fuzz::embedded_classifier());
    fuzz::check(fuzz::valid_utf8(format_json(result)));
    (void)format_tsv(result, default_tsv_fields());
    (void)format_text(result, true);
    return 0;
}
