// A model's state carried into another instance through the bytes of a checkpoint (serialize out,
// then in), as a resumed run restores it.
#pragma once
#include "engine/io/archive.hpp"

namespace ptmc::testing {

template <class M>
void restore_through_archive(M& from, M& to) {
  Archive out = Archive::writer();
  from.serialize(out);
  Archive in = Archive::reader(out.bytes());
  to.serialize(in);
}

}  // namespace ptmc::testing
