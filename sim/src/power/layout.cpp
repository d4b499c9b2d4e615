/* A one-line diagram's layout for a network without bus coordinates (an imported MATPOWER case): Kamada-Kawai spring
 * layout over the branches, started from a circle, so that the same network always gets the same picture. */
#include "cyberex/powerflow.hpp"

// GCC 12 warns inside Boost.Graph's Johnson all-pairs (boost::optional of an edge iterator, a known false positive)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/kamada_kawai_spring_layout.hpp>
#include <boost/graph/topology.hpp>

#include <cmath>

namespace cyberex::power {

namespace {

using Topology = boost::square_topology<>;
using Point = Topology::point_type;
struct Vertex {
  Point point;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, Vertex,
                                    boost::property<boost::edge_weight_t, double>>;

// Beyond this the O(n^2) layout is too slow to run when a view opens; such a grid keeps the circle.
constexpr std::size_t SPRING_MAX_BUSES = 400;

} // namespace

void lay_out(Network& net)
{
  const std::size_t n = net.buses.size();
  bool all = n > 0;
  for (const Bus& b : net.buses)
    all = all && b.has_xy;
  if (all || n == 0)
    return;
  Graph g(n);
  for (const Branch& br : net.branches)
    if (br.from < n && br.to < n && br.from != br.to)
      boost::add_edge(br.from, br.to, 1.0, g);
  const double side = 10.0 * std::sqrt(static_cast<double>(n));
  auto position = boost::get(&Vertex::point, g);
  boost::circle_graph_layout(g, position, side / 2);
  std::vector<int> component(n);
  const bool connected = boost::connected_components(g, component.data()) == 1;
  // the spring layout needs a connected graph (every pair at a finite distance); else the circle stays
  if (connected && n > 2 && n <= SPRING_MAX_BUSES)
    boost::kamada_kawai_spring_layout(g, position, boost::get(boost::edge_weight, g), Topology(side),
                                      boost::side_length(side));
  for (std::size_t b = 0; b < n; ++b) {
    net.buses[b].x = position[b][0];
    net.buses[b].y = position[b][1];
    net.buses[b].has_xy = true;
  }
}

} // namespace cyberex::power
