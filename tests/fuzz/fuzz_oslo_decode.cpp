// The oslo envelope as it arrives from the broker: decode the body (v2
// envelope or a bare 1.0 document); what decodes must encode and decode
// again to the same notification.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include "bus/oslo.hpp"

using namespace steward;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto note = bus::decode(body, error);
  if (!note)
    return 0;
  (void)bus::object_data(note->payload);
  (void)bus::routing_key("notifications", note->priority);

  auto again = bus::decode(bus::encode_v2(*note), error);
  if (!again || again->event_type != note->event_type || again->payload != note->payload
      || again->message_id != note->message_id || again->priority != note->priority) {
    std::cerr << "oslo round trip changed the notification: " << error << "\n";
    std::abort();
  }
  return 0;
}
