package dev.nightjar.api.servicemap;

import dev.nightjar.api.servicemap.ServiceMap.Edge;
import dev.nightjar.api.servicemap.ServiceMap.Kind;
import dev.nightjar.api.servicemap.ServiceMap.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic layered layout: callers (nodes nobody calls) on the left, each callee one column right of
 * its nearest caller, remote hosts in the last column; within a column nodes are ordered by id. The same
 * graph always gets the same coordinates, so a refresh does not reshuffle the map, and the browser never
 * runs a force simulation (which is what makes 500-node maps sluggish).
 */
final class MapLayout {
    static final double COLUMN_WIDTH = 320;
    static final double ROW_HEIGHT = 56;
    /** A column taller than this wraps into sub-columns so a 500-service layer stays on screen. */
    static final int MAX_ROWS = 40;

    private MapLayout() {}

    static List<Node> place(List<Node> nodes, List<Edge> edges) {
        Map<String, List<String>> out = new HashMap<>();
        Map<String, Integer> inDegree = new HashMap<>();
        for (Edge e : edges) {
            out.computeIfAbsent(e.source(), k -> new ArrayList<>()).add(e.target());
            inDegree.merge(e.target(), 1, Integer::sum);
        }
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::id));
        Map<String, Integer> depth = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        for (Node n : sorted) {
            if (inDegree.getOrDefault(n.id(), 0) == 0 && n.kind() != Kind.EXTERNAL) {
                depth.put(n.id(), 0);
                queue.add(n.id());
            }
        }
        // Breadth-first from the callers: a node's column is its shortest call depth; cycles stop there.
        while (!queue.isEmpty()) {
            String id = queue.poll();
            for (String next : out.getOrDefault(id, List.of()).stream().sorted().toList()) {
                if (!depth.containsKey(next)) {
                    depth.put(next, depth.get(id) + 1);
                    queue.add(next);
                }
            }
        }
        int internalColumns = 0;
        for (Node n : sorted) {
            if (n.kind() != Kind.EXTERNAL) {
                // Nodes only reachable through a cycle have no caller-free ancestor: put them in column 1.
                internalColumns = Math.max(internalColumns, depth.computeIfAbsent(n.id(), k -> 1) + 1);
            }
        }
        Map<Integer, List<Node>> columns = new TreeMap<>();
        for (Node n : sorted) {
            int column = n.kind() == Kind.EXTERNAL ? internalColumns : depth.get(n.id());
            columns.computeIfAbsent(column, k -> new ArrayList<>()).add(n);
        }
        List<Node> placed = new ArrayList<>(nodes.size());
        double x = 0;
        for (List<Node> column : columns.values()) {
            int subColumns = (column.size() + MAX_ROWS - 1) / MAX_ROWS;
            int rows = Math.min(column.size(), MAX_ROWS);
            for (int i = 0; i < column.size(); i++) {
                int sub = i / MAX_ROWS;
                int row = i % MAX_ROWS;
                double y = (row - (rows - 1) / 2.0) * ROW_HEIGHT;
                placed.add(column.get(i).at(x + sub * COLUMN_WIDTH * 0.6, y));
            }
            x += COLUMN_WIDTH + (subColumns - 1) * COLUMN_WIDTH * 0.6;
        }
        placed.sort(Comparator.comparing(Node::id));
        return placed;
    }
}
