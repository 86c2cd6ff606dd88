#pragma once

namespace ptmc {

// Which pairs a swap round attempts. sequential: (0,1), (1,2), ... in order, each round (reversible
// in the index process; round trips take ~T² rounds). deo: deterministic even/odd (Syed,
// Bouchard-Côté, Deligiannidis and Doucet, JRSS B 2022): the even pairs (0,1), (2,3), ... on even
// rounds, the odd pairs (1,2), (3,4), ... on odd rounds; each step leaves the joint distribution
// invariant, and their alternation makes the walk between the ends non-reversible (~T rounds). The
// round's parity is the round counter, so a checkpoint resumes either scheme exactly.
enum class SwapScheme { sequential, deo };

}  // namespace ptmc
