package io.prosima.node.fragments;

/** What the fragment service reports to metrics. Labels carry no keys, ids or bytes. */
public interface FragmentEvents {
  /**
   * One Put or Get answered.
   *
   * @param op "put" or "get"
   * @param served true when answered, false when refused
   * @param reason short refusal label ("quota", "not_owner", ...); empty when served
   */
  void fragmentRequest(String op, boolean served, String reason);

  /** Garbage collection deleted this many fragments. */
  void fragmentsDeleted(int count);

  FragmentEvents NONE =
      new FragmentEvents() {
        @Override
        public void fragmentRequest(String op, boolean served, String reason) {}

        @Override
        public void fragmentsDeleted(int count) {}
      };
}
