package dev.nightjar.sensors.ebpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcalls into the system's libbpf (Debian's {@code libbpf.so.1}, 1.1+). Hand-written: only
 * the dozen functions the sensor needs, so no binding generator or JNI library ships with it.
 * Functions that fail by returning NULL or a negative value also report errno, captured here.
 */
@SuppressWarnings("restricted") // the whole point of this class; the launcher enables native access
final class Libbpf {

    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size)}. */
    static final FunctionDescriptor SAMPLE_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);

    /** {@code struct bpf_uprobe_opts} as of libbpf 1.1. */
    static final StructLayout UPROBE_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_LONG.withName("ref_ctr_offset"),
            JAVA_LONG.withName("bpf_cookie"),
            JAVA_BOOLEAN.withName("retprobe"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("func_name"));

    private static final SymbolLookup LIB = SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());

    private static final MethodHandle OPEN_MEM =
            errnoHandle("bpf_object__open_mem", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle LOAD = handle("bpf_object__load", JAVA_INT, ADDRESS);
    private static final MethodHandle CLOSE = voidHandle("bpf_object__close", ADDRESS);
    private static final MethodHandle NEXT_PROGRAM = handle("bpf_object__next_program", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle PROGRAM_NAME = handle("bpf_program__name", ADDRESS, ADDRESS);
    private static final MethodHandle SET_AUTOLOAD =
            handle("bpf_program__set_autoload", JAVA_INT, ADDRESS, JAVA_BOOLEAN);
    private static final MethodHandle ATTACH = errnoHandle("bpf_program__attach", ADDRESS, ADDRESS);
    private static final MethodHandle ATTACH_UPROBE =
            errnoHandle("bpf_program__attach_uprobe_opts", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle LINK_DESTROY = handle("bpf_link__destroy", JAVA_INT, ADDRESS);
    private static final MethodHandle MAP_FD_BY_NAME =
            handle("bpf_object__find_map_fd_by_name", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle FIND_MAP = handle("bpf_object__find_map_by_name", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle MAP_REUSE_FD = handle("bpf_map__reuse_fd", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle MAP_SET_INITIAL_VALUE =
            handle("bpf_map__set_initial_value", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle MAP_SET_MAX_ENTRIES =
            handle("bpf_map__set_max_entries", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle MAP_NEXT_KEY =
            errnoHandle("bpf_map_get_next_key", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MAP_LOOKUP =
            errnoHandle("bpf_map_lookup_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MAP_UPDATE =
            errnoHandle("bpf_map_update_elem", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle RING_NEW =
            errnoHandle("ring_buffer__new", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle RING_ADD =
            handle("ring_buffer__add", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle RING_POLL = handle("ring_buffer__poll", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RING_CONSUME = handle("ring_buffer__consume", JAVA_INT, ADDRESS);
    private static final MethodHandle FIND_PROGRAM =
            handle("bpf_object__find_program_by_name", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle ATTACH_ITER = errnoHandle("bpf_program__attach_iter", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle LINK_FD = handle("bpf_link__fd", JAVA_INT, ADDRESS);
    private static final MethodHandle ITER_CREATE = handle("bpf_iter_create", JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = LINKER.downcallHandle(
            LINKER.defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE_FD = LINKER.downcallHandle(
            LINKER.defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** struct bpf_iter_attach_opts: sz, link_info, link_info_len (libbpf 1.x). */
    private static final StructLayout ITER_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("link_info"),
            JAVA_INT.withName("link_info_len"),
            MemoryLayout.paddingLayout(4));
    /** union bpf_iter_link_info: its largest member (cgroup) is 16 bytes; the map member is the first u32. */
    private static final long ITER_LINK_INFO_SIZE = 16;

    private static final MethodHandle RING_FREE = voidHandle("ring_buffer__free", ADDRESS);

    private Libbpf() {}

    /** Whether libbpf.so.1 can be found; the class fails to initialise otherwise. */
    static boolean available() {
        try {
            return LIB.find("bpf_object__load").isPresent();
        } catch (IllegalArgumentException | LinkageError e) {
            return false;
        }
    }

    static MemorySegment openMem(MemorySegment elf, Arena arena) {
        MemorySegment state = arena.allocate(CALL_STATE);
        MemorySegment obj = (MemorySegment) invoke(OPEN_MEM, state, elf, elf.byteSize(), MemorySegment.NULL);
        if (obj.equals(MemorySegment.NULL)) {
            throw new BpfException("bpf_object__open_mem failed", errno(state));
        }
        return obj;
    }

    static int load(MemorySegment obj) {
        return (int) invoke(LOAD, obj);
    }

    static void close(MemorySegment obj) {
        invoke(CLOSE, obj);
    }

    static MemorySegment nextProgram(MemorySegment obj, MemorySegment previous) {
        return (MemorySegment) invoke(NEXT_PROGRAM, obj, previous);
    }

    static String programName(MemorySegment program) {
        MemorySegment name = (MemorySegment) invoke(PROGRAM_NAME, program);
        return name.reinterpret(256).getString(0);
    }

    static void setAutoload(MemorySegment program, boolean autoload) {
        invoke(SET_AUTOLOAD, program, autoload);
    }

    /** A link, or throws with errno when the kernel refuses the attachment. */
    static MemorySegment attach(MemorySegment program, Arena arena) {
        MemorySegment state = arena.allocate(CALL_STATE);
        MemorySegment link = (MemorySegment) invoke(ATTACH, state, program);
        if (link.equals(MemorySegment.NULL)) {
            throw new BpfException("attach " + programName(program), errno(state));
        }
        return link;
    }

    static MemorySegment attachUprobe(
            MemorySegment program, boolean retprobe, String binary, String function, Arena arena) {
        MemorySegment state = arena.allocate(CALL_STATE);
        MemorySegment opts = arena.allocate(UPROBE_OPTS);
        opts.set(JAVA_LONG, 0, UPROBE_OPTS.byteSize());
        opts.set(JAVA_BOOLEAN, UPROBE_OPTS.byteOffset(MemoryLayout.PathElement.groupElement("retprobe")), retprobe);
        opts.set(
                ADDRESS,
                UPROBE_OPTS.byteOffset(MemoryLayout.PathElement.groupElement("func_name")),
                arena.allocateFrom(function));
        MemorySegment link =
                (MemorySegment) invoke(ATTACH_UPROBE, state, program, -1, arena.allocateFrom(binary), 0L, opts);
        if (link.equals(MemorySegment.NULL)) {
            throw new BpfException("attach uprobe " + binary + ":" + function, errno(state));
        }
        return link;
    }

    static void destroyLink(MemorySegment link) {
        invoke(LINK_DESTROY, link);
    }

    static int mapFd(MemorySegment obj, String name, Arena arena) {
        return (int) invoke(MAP_FD_BY_NAME, obj, arena.allocateFrom(name));
    }

    /**
     * Before load: makes the object use an existing map (another object's, by fd) instead of
     * creating its own. 0, or a negative errno (no such map, or an incompatible definition).
     */
    static int reuseMap(MemorySegment obj, String name, int fd, Arena arena) {
        MemorySegment map = (MemorySegment) invoke(FIND_MAP, obj, arena.allocateFrom(name));
        if (map.equals(MemorySegment.NULL)) {
            return -2;
        }
        return (int) invoke(MAP_REUSE_FD, map, fd);
    }

    /**
     * Before load: the initial contents of a data section map ({@code .rodata.config}…), whose size
     * must be the section's. 0, or a negative errno.
     */
    static int setInitialValue(MemorySegment obj, String name, byte[] value, Arena arena) {
        MemorySegment map = (MemorySegment) invoke(FIND_MAP, obj, arena.allocateFrom(name));
        if (map.equals(MemorySegment.NULL)) {
            return -2;
        }
        MemorySegment data = arena.allocate(value.length);
        MemorySegment.copy(MemorySegment.ofArray(value), 0, data, 0, value.length);
        return (int) invoke(MAP_SET_INITIAL_VALUE, map, data, (long) value.length);
    }

    /** Before load: shrinks (or grows) a map. 0, or a negative errno. */
    static int setMaxEntries(MemorySegment obj, String name, int maxEntries, Arena arena) {
        MemorySegment map = (MemorySegment) invoke(FIND_MAP, obj, arena.allocateFrom(name));
        if (map.equals(MemorySegment.NULL)) {
            return -2;
        }
        return (int) invoke(MAP_SET_MAX_ENTRIES, map, maxEntries);
    }

    /** 0 with next key written, or -ENOENT at the end. */
    static int mapNextKey(int fd, MemorySegment key, MemorySegment next, MemorySegment state) {
        int rc = (int) invoke(MAP_NEXT_KEY, state, fd, key, next);
        return rc == 0 ? 0 : -errno(state);
    }

    static int mapLookup(int fd, MemorySegment key, MemorySegment value, MemorySegment state) {
        int rc = (int) invoke(MAP_LOOKUP, state, fd, key, value);
        return rc == 0 ? 0 : -errno(state);
    }

    /** 0, or -errno (-EEXIST for {@code BPF_NOEXIST} when the key is present). */
    static int mapUpdate(int fd, MemorySegment key, MemorySegment value, long flags, MemorySegment state) {
        int rc = (int) invoke(MAP_UPDATE, state, fd, key, value, flags);
        return rc == 0 ? 0 : -errno(state);
    }

    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static MemorySegment ringBufferNew(int mapFd, MemorySegment callback, Arena arena) {
        MemorySegment state = arena.allocate(CALL_STATE);
        MemorySegment rb =
                (MemorySegment) invoke(RING_NEW, state, mapFd, callback, MemorySegment.NULL, MemorySegment.NULL);
        if (rb.equals(MemorySegment.NULL)) {
            throw new BpfException("ring_buffer__new", errno(state));
        }
        return rb;
    }

    static int ringBufferAdd(MemorySegment rb, int mapFd, MemorySegment callback) {
        return (int) invoke(RING_ADD, rb, mapFd, callback, MemorySegment.NULL);
    }

    static int ringBufferPoll(MemorySegment rb, int timeoutMillis) {
        return (int) invoke(RING_POLL, rb, timeoutMillis);
    }

    /** Drains every ring of {@code rb} whether or not it signalled: the events that did not wake us. */
    static int ringBufferConsume(MemorySegment rb) {
        return (int) invoke(RING_CONSUME, rb);
    }

    /**
     * Attaches an iterator program ({@code SEC("iter/bpf_sk_storage_map")} and the like) to the map
     * {@code mapFd}; returns the link.
     */
    static MemorySegment attachIterator(MemorySegment obj, String program, int mapFd, Arena arena) {
        MemorySegment prog = (MemorySegment) invoke(FIND_PROGRAM, obj, arena.allocateFrom(program));
        if (prog.equals(MemorySegment.NULL)) {
            throw new BpfException("no program " + program, 2);
        }
        MemorySegment linkInfo = arena.allocate(ITER_LINK_INFO_SIZE, 8);
        linkInfo.set(JAVA_INT, 0, mapFd);
        MemorySegment opts = arena.allocate(ITER_OPTS);
        opts.set(JAVA_LONG, 0, ITER_OPTS.byteSize());
        opts.set(ADDRESS, 8, linkInfo);
        opts.set(JAVA_INT, 16, (int) ITER_LINK_INFO_SIZE);
        MemorySegment state = callState(arena);
        MemorySegment link = (MemorySegment) invoke(ATTACH_ITER, state, prog, opts);
        if (link.equals(MemorySegment.NULL)) {
            throw new BpfException("attaching iterator " + program, errno(state));
        }
        return link;
    }

    /** Runs an attached iterator once and returns everything it wrote, at most {@code maxBytes}. */
    static byte[] readIterator(MemorySegment link, int maxBytes) {
        int fd = (int) invoke(ITER_CREATE, (int) invoke(LINK_FD, link));
        if (fd < 0) {
            throw new BpfException("bpf_iter_create", fd);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64 * 1024);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            while (out.size() < maxBytes) {
                long n = (long) invoke(READ, fd, buffer, buffer.byteSize());
                if (n <= 0) {
                    break;
                }
                out.write(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, (int) n);
            }
            return out.toByteArray();
        } finally {
            invoke(CLOSE_FD, fd);
        }
    }

    static void ringBufferFree(MemorySegment rb) {
        invoke(RING_FREE, rb);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MethodHandle handle(String name, ValueLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args));
    }

    private static MethodHandle voidHandle(String name, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(args));
    }

    private static MethodHandle errnoHandle(String name, ValueLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO);
    }

    private static MemorySegment symbol(String name) {
        return LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libbpf has no " + name));
    }

    private static Object invoke(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
