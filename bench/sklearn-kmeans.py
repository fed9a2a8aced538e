# The scikit-learn peer of cl-kmeans in bench/run.sh: read the points with pandas,
# z-scale them (StandardScaler, as cl-kmeans --scale z), KMeans with k = 8
# and 10 k-means++ restarts, write every row with its cluster.
#   python3 sklearn-kmeans.py POINTS.csv OUT.csv [INERTIA.txt]
import sys
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

points, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(points)
features = [c for c in df.columns if c != "id"]
x = StandardScaler().fit_transform(df[features].to_numpy())
km = KMeans(n_clusters=8, n_init=10, random_state=1).fit(x)
df["cluster"] = km.labels_ + 1
df.to_csv(out, index=False)
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as f:
        print(f"{km.inertia_:.6f}", file=f)
