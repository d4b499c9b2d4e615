#include "map/label_placer.hpp"
