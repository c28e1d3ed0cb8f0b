#include "bouncediag/bounce_email.h"

namespace bouncediag {

BounceEmail read_bounce_email(std::string_view) { return {}; }

}  // namespace bouncediag
