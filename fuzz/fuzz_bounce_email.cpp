// libFuzzer target: whole bounce emails. read_bounce_email on the input, then the diagnosis of
// every recipient and its JSON; the same bytes also go through input detection and the mbox
// splitter (diagnose_content), as `bouncediag FILE` does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bouncediag/bounce_email.h"
#include "bouncediag/diagnose.h"
#include "bouncediag/input.h"
#include "bouncediag/mailbox.h"
#include "bouncediag/output.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bouncediag;
    const std::string_view raw(reinterpret_cast<const char*>(data), size);
    const BounceEmail email = read_bounce_email(raw);
    for (const Result& r : diagnose_email(email, fuzz::embedded_classifier()))
        fuzz::check(fuzz::valid_utf8(format_json(r)));
    (void)looks_like_email(raw);
    if (looks_like_mbox(raw)) {
        MboxSplitter splitter(raw);
        std::string_view message;
        std::size_t count = 0;
        while (splitter.next(message) && ++count < 10000) {
            fuzz::check(message.data() >= raw.data() &&
                        message.data() + message.size() <= raw.data() + raw.size());
        }
    }
    const ResultSink sink = [](Result&& r) { fuzz::check(fuzz::valid_utf8(format_json(r))); };
    (void)diagnose_content(raw, "fuzz", detect_input_mode(raw), fuzz::embedded_classifier(), sink);
    return 0;
}
