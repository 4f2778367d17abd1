package io.mdevplan.planner.domain;

/** One shared pool of a parent (framebuffer, ports, graphics memory, ...). */
public final class Pool {

    private final Parent parent;
    private final int index;
    private final String name;
    private final long capacity;

    public Pool(Parent parent, int index, String name, long capacity) {
        this.parent = parent;
        this.index = index;
        this.name = name;
        this.capacity = capacity;
    }

    public Parent getParent() {
        return parent;
    }

    public int getIndex() {
        return index;
    }

    public String getName() {
        return name;
    }

    public long getCapacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return parent + "/" + name;
    }
}
