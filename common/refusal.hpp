#pragma once
// A request refused by a rule of the domain: the status the API answers with
// and the message, which each API family puts in its own error shape.
#include <string>

namespace steward {

struct refusal {
  int status = 400;
  std::string message;
};

} // namespace steward
