package io.mdevplan.planner.domain;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

import ai.timefold.solver.core.impl.domain.valuerange.AbstractCountableValueRange;

/**
 * The plan's parents as Timefold's value range, each at its own index. Timefold asks the range whether each assigned
 * parent belongs to it and looks the range up by equality, per device: a list-backed range would walk 100,000 parents
 * each time (Timefold wraps a provided list anew on every read, so even a cached hash does not help). Here
 * {@code contains} is an index check and equality is identity. It extends Timefold's abstract range because Timefold
 * accepts no other kind where unassigned values are allowed.
 */
public final class ParentRange extends AbstractCountableValueRange<Parent> {

    private final List<Parent> parents;

    public ParentRange(List<Parent> parents) {
        for (var i = 0; i < parents.size(); i++) {
            if (parents.get(i).getIndex() != i) {
                throw new IllegalArgumentException("Parent " + parents.get(i) + " has index " + parents.get(i).getIndex()
                        + " but stands at " + i + ". Maybe number parents in list order.");
            }
        }
        this.parents = List.copyOf(parents);
    }

    @Override
    public long getSize() {
        return parents.size();
    }

    @Override
    public Parent get(long index) {
        return parents.get(Math.toIntExact(index));
    }

    @Override
    public boolean contains(Parent parent) {
        return parent != null && parent.getIndex() < parents.size() && parents.get(parent.getIndex()) == parent;
    }

    @Override
    public Iterator<Parent> createOriginalIterator() {
        return parents.iterator();
    }

    @Override
    public Iterator<Parent> createRandomIterator(Random random) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !parents.isEmpty();
            }

            @Override
            public Parent next() {
                if (parents.isEmpty()) {
                    throw new NoSuchElementException("The plan has no parents.");
                }
                return parents.get(random.nextInt(parents.size()));
            }
        };
    }
}
