#include "map/geo.hpp"
