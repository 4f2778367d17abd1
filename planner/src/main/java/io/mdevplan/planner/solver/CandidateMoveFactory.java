package io.mdevplan.planner.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.AbstractMove;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;

import io.mdevplan.planner.domain.DeviceAllocation;
import io.mdevplan.planner.domain.PlacementPlan;

/**
 * Local search moves drawn from each device's own candidate parents: reassign a device to a random candidate, or swap
 * the parents of two devices where each parent is a candidate of the other device. Timefold's generic moves would either pick among all parents (mostly ones
 * that do not offer the type) or need per-device value ranges, which it compares and merges at phase start in time
 * that grows with devices x candidates.
 */
public final class CandidateMoveFactory implements MoveIteratorFactory<PlacementPlan, AbstractMove<PlacementPlan>> {

    private List<DeviceAllocation> movable = List.of();
    private Map<String, List<DeviceAllocation>> movableByType = Map.of();
    /** Reassignments there are; Timefold asks for it at every step, so it is counted once per phase. */
    private long size;

    @Override
    public void phaseStarted(ScoreDirector<PlacementPlan> scoreDirector) {
        var allocations = new ArrayList<DeviceAllocation>();
        var byType = new HashMap<String, List<DeviceAllocation>>();
        for (var allocation : scoreDirector.getWorkingSolution().getAllocations()) {
            if (!allocation.isPinned() && !allocation.getCandidateParents().isEmpty()) {
                allocations.add(allocation);
                byType.computeIfAbsent(allocation.getTypeId(), type -> new ArrayList<>()).add(allocation);
            }
        }
        movable = allocations;
        movableByType = byType;
        size = 0;
        for (var allocation : allocations) {
            size += allocation.getCandidateParents().size();
        }
    }

    @Override
    public void phaseEnded(ScoreDirector<PlacementPlan> scoreDirector) {
        movable = List.of();
        movableByType = Map.of();
        size = 0;
    }

    @Override
    public long getSize(ScoreDirector<PlacementPlan> scoreDirector) {
        return size;
    }

    /** Every reassignment, device by device and candidate by candidate. */
    @Override
    public Iterator<AbstractMove<PlacementPlan>> createOriginalMoveIterator(ScoreDirector<PlacementPlan> scoreDirector) {
        return new Iterator<>() {
            private int device;
            private int candidate;

            @Override
            public boolean hasNext() {
                while (device < movable.size() && candidate >= movable.get(device).getCandidateParents().size()) {
                    device++;
                    candidate = 0;
                }
                return device < movable.size();
            }

            @Override
            public AbstractMove<PlacementPlan> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("All " + movable.size() + " devices' candidates were visited.");
                }
                var allocation = movable.get(device);
                return new ReassignMove(allocation, allocation.getCandidateParents().get(candidate++));
            }
        };
    }

    @Override
    public Iterator<AbstractMove<PlacementPlan>> createRandomMoveIterator(ScoreDirector<PlacementPlan> scoreDirector,
            Random random) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !movable.isEmpty();
            }

            @Override
            public AbstractMove<PlacementPlan> next() {
                if (movable.isEmpty()) {
                    throw new NoSuchElementException("No device may move: all are pinned or have no candidate parent.");
                }
                var allocation = movable.get(random.nextInt(movable.size()));
                if (random.nextBoolean()) {
                    // Half the partners share the type (a like-for-like exchange), half are any device (one type
                    // making room for another).
                    var partners = random.nextBoolean() ? movableByType.get(allocation.getTypeId()) : movable;
                    var other = partners.get(random.nextInt(partners.size()));
                    if (other != allocation && (other.getParent() == null || allocation.isCandidate(other.getParent()))
                            && (allocation.getParent() == null || other.isCandidate(allocation.getParent()))) {
                        return new SwapParentsMove(allocation, other);
                    }
                }
                var candidates = allocation.getCandidateParents();
                return new ReassignMove(allocation, candidates.get(random.nextInt(candidates.size())));
            }
        };
    }
}
