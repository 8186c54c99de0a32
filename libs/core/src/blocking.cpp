#include "chance/core/blocking.hpp"

namespace chance {

namespace {
thread_local bool t_no_blocking = false;
}

bool must_not_block() { return t_no_blocking; }

void may_block() {
    if (t_no_blocking) throw WouldBlock{};
}

NoBlockingScope::NoBlockingScope() : previous_(t_no_blocking) { t_no_blocking = true; }
NoBlockingScope::~NoBlockingScope() { t_no_blocking = previous_; }

}  // namespace chance
