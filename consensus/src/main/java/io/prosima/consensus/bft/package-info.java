/**
 * Tendermint BFT consensus core (arXiv:1807.04938, Algorithm 1) with weighted votes.
 *
 * <p>Public API: {@link io.prosima.consensus.bft.BftCore} ({@code List<Action> onEvent(Event)}),
 * its inputs {@link io.prosima.consensus.bft.Event} and outputs {@link
 * io.prosima.consensus.bft.Action}, the injected {@link io.prosima.consensus.bft.BlockValidator},
 * the WAL record {@link io.prosima.consensus.bft.SignedVoteRecord}, the timeouts {@link
 * io.prosima.consensus.bft.BftConfig} and the proposer rotation {@link
 * io.prosima.consensus.bft.ProposerSchedule}.
 *
 * <p>Driver contract: deliver {@code Start} once; carry out each returned list in order, making
 * every {@code PersistVote} durable before any later action (persist before send); after a {@code
 * Commit} store the block and certificate, then deliver {@code NewHeight(height + 1)}; answer
 * {@code RequestProposal} with {@code BlockReady}; deliver each {@code ScheduleTimeout} back as
 * {@code TimeoutFired}. The driver also owns gossip: the paper assumes every message a correct node
 * receives eventually reaches every correct node, so a lossy transport must re-send (the simulator
 * re-sends each node's own signed messages of its current height) and serve committed blocks to
 * peers still working on a finished height ({@code CommitReceived}).
 */
package io.prosima.consensus.bft;
