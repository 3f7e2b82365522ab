package dev.nightjar.sensors.ebpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded eBPF object file: its programs verified in the kernel, attached one by one so a
 * probe the kernel refuses switches off only itself, and its maps reachable by name.
 */
public final class BpfObject implements AutoCloseable {

    private final String name;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment object;
    private final Map<String, MemorySegment> links = new LinkedHashMap<>();
    private final Map<String, String> failedPrograms = new LinkedHashMap<>();

    private BpfObject(String name, MemorySegment object) {
        this.name = name;
        this.object = object;
    }

    /** Opens and loads (verifies) an ELF object; throws with the kernel's errno when refused. */
    public static BpfObject load(String name, byte[] elf) {
        return load(name, elf, Map.of());
    }

    /**
     * As {@link #load(String, byte[])}, with some of the object's maps replaced by existing ones
     * (map name → fd of another loaded object's map), so two objects share state.
     */
    public static BpfObject load(String name, byte[] elf, Map<String, Integer> sharedMaps) {
        return load(name, elf, new Options(sharedMaps, Map.of(), Map.of()));
    }

    /**
     * What to change in an object between open and load: maps replaced by existing ones (map name
     * → fd of another loaded object's map, so two objects share state), initial contents of data
     * sections (a {@code const volatile} configuration the verifier then treats as constants), and
     * map sizes (a map a configuration leaves unused need not take kernel memory).
     */
    public record Options(
            Map<String, Integer> sharedMaps, Map<String, byte[]> initialValues, Map<String, Integer> maxEntries) {

        public Options {
            sharedMaps = Map.copyOf(sharedMaps);
            initialValues = Map.copyOf(initialValues);
            maxEntries = Map.copyOf(maxEntries);
        }
    }

    /** As {@link #load(String, byte[])}, with the object changed as {@code options} say before it loads. */
    public static BpfObject load(String name, byte[] elf, Options options) {
        Arena arena = Arena.ofShared();
        try {
            // libbpf keeps its own copy of the ELF, but only after open returns.
            MemorySegment image = arena.allocate(elf.length);
            MemorySegment.copy(MemorySegment.ofArray(elf), 0, image, 0, elf.length);
            MemorySegment object = Libbpf.openMem(image, arena);
            for (Map.Entry<String, Integer> shared : options.sharedMaps().entrySet()) {
                int reused = Libbpf.reuseMap(object, shared.getKey(), shared.getValue(), arena);
                if (reused != 0) {
                    Libbpf.close(object);
                    throw new BpfException("sharing map " + shared.getKey() + " with " + name, reused);
                }
            }
            for (Map.Entry<String, byte[]> initial : options.initialValues().entrySet()) {
                int rc = Libbpf.setInitialValue(object, initial.getKey(), initial.getValue(), arena);
                if (rc != 0) {
                    Libbpf.close(object);
                    throw new BpfException("setting " + initial.getKey() + " of " + name, rc);
                }
            }
            for (Map.Entry<String, Integer> size : options.maxEntries().entrySet()) {
                int rc = Libbpf.setMaxEntries(object, size.getKey(), size.getValue(), arena);
                if (rc != 0) {
                    Libbpf.close(object);
                    throw new BpfException("sizing map " + size.getKey() + " of " + name, rc);
                }
            }
            int rc = Libbpf.load(object);
            if (rc != 0) {
                Libbpf.close(object);
                throw new BpfException("loading " + name, rc);
            }
            return new BpfObject(name, object);
        } finally {
            arena.close();
        }
    }

    public String name() {
        return name;
    }

    /** Attaches every program by its section name; returns the programs that did attach. */
    public List<String> attachAll() {
        List<String> attached = new ArrayList<>();
        MemorySegment program = Libbpf.nextProgram(object, MemorySegment.NULL);
        while (!program.equals(MemorySegment.NULL)) {
            String programName = Libbpf.programName(program);
            try {
                links.put(programName, Libbpf.attach(program, arena));
                attached.add(programName);
            } catch (BpfException e) {
                failedPrograms.put(programName, e.getMessage());
            }
            program = Libbpf.nextProgram(object, program);
        }
        return attached;
    }

    /** Programs that could not attach, with the reason. */
    public Map<String, String> failedPrograms() {
        return Map.copyOf(failedPrograms);
    }

    /**
     * Attaches the iterator program {@code program} to the map {@code mapFd} (of this or another
     * object); {@link #readIterator} then runs it. Detached on {@link #close()}.
     */
    public void attachIterator(String program, int mapFd) {
        links.put(program, Libbpf.attachIterator(object, program, mapFd, arena));
    }

    /** Runs an attached iterator over its map's current entries; returns what it wrote (bounded). */
    public byte[] readIterator(String program, int maxBytes) {
        MemorySegment link = links.get(program);
        if (link == null) {
            throw new IllegalStateException(program + " is not attached");
        }
        return Libbpf.readIterator(link, maxBytes);
    }

    public int mapFd(String mapName) {
        int fd = Libbpf.mapFd(object, mapName, arena);
        if (fd < 0) {
            throw new BpfException(name + " has no map " + mapName, fd);
        }
        return fd;
    }

    @Override
    public void close() {
        links.values().forEach(Libbpf::destroyLink);
        links.clear();
        Libbpf.close(object);
        arena.close();
    }
}
