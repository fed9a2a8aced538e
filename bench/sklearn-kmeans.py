# The scikit-learn peer of bench/kmeans.sh: read the points with pandas,
# z-scale them (StandardScaler, as cl-kmeans --scale z), KMeans with k = 8
# and 10 k-means++ restarts, write every row with its cluster.
#   python3 sklearn-kmeans.py POINTS.csv OUT.csv [--inertia]
import sys
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

points, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(points)
features = [c for c in df.columns if c != "id"]
x = StandardScaler().fit_transform(df[features].to_numpy())
km = KMeans(n_clusters=8, n_init=10, random_state=1).fit(x)
if "--inertia" in sys.argv[3:]:
    print(f"{km.inertia_:.6f}")
else:
    df["cluster"] = km.labels_ + 1
    df.to_csv(out, index=False)
