#pragma once
// The catalog module's header for code outside premieres/catalog and premieres/search that has not moved yet (the
// ordering module, src/orders.cpp and src/playback.cpp: Catalog, parse_id). New code includes
// premieres/catalog/*.hpp and premieres/search/*.hpp.
#include "premieres/catalog/catalog.hpp"
#include "premieres/catalog/routes.hpp"
